package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.config.DataMoverProperties;
import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.mover.MoverSlots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingHandlerTest {
  private final List<MoverSlots.Claim> holding = new ArrayList<>();
  private final MoverSlots slots = new MoverSlots(new MoverSlots.Limits(1, 0), () -> List.of(new MoverSlots.Source() {
    @Override
    public List<MoverSlots.Claim> holding() {
      return holding;
    }

    @Override
    public List<MoverSlots.Claim> waiting() {
      return List.of();
    }
  }), Clock.systemUTC());
  private final PendingHandler handler = new PendingHandler(slots, new DataMoverProperties(null, null, null, null, null, null, null, null));

  @Test
  void aPendingRunWaitsWhileTheCapIsReachedAndClonesOnceASlotFrees() {
    holding.add(new MoverSlots.Claim("DataMover", "apps", "busy", CREATED));
    Run run = new Run(inPhase(dataMover("waiting"), Phase.PENDING, CREATED), CREATED.plusMinutes(5));

    var waiting = handler.handle(run);
    assertThat(waiting.next()).isEqualTo(Phase.PENDING);
    assertThat(waiting.reason()).isEqualTo(PendingHandler.WAITING);
    assertThat(waiting.message()).isEqualTo("Waiting for a mover slot: 1 of 1 mover Jobs running; 0 runs wait ahead of this one");
    assertThat(waiting.requeueAfter()).hasValue(Duration.ofMinutes(1));

    holding.clear();
    var granted = handler.handle(run);
    assertThat(granted.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(granted.reason()).isEqualTo("MoverSlotGranted");
  }
}

package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.mover.MoverSlots.Claim;
import coffee.acupof.datamover.mover.MoverSlots.Granted;
import coffee.acupof.datamover.mover.MoverSlots.Limits;
import coffee.acupof.datamover.mover.MoverSlots.Wait;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoverSlotsTest {
  private static final OffsetDateTime T = OffsetDateTime.of(2026, 1, 1, 2, 0, 0, 0, ZoneOffset.UTC);

  private static Claim run(String ns, String name, int minute) {
    return new Claim("DataMover", ns, name, T.plusMinutes(minute));
  }

  /** Which of the waiting runs the decision would grant, asking for each in turn. */
  private static List<String> granted(Limits limits, List<Claim> holding, List<Claim> waiting) {
    List<String> granted = new ArrayList<>();
    for (Claim w : waiting) {
      if (MoverSlots.decide(limits, holding, waiting, w) instanceof Granted) {
        granted.add(w.namespace() + "/" + w.name());
      }
    }
    return granted;
  }

  @Test
  void noCapGrantsEverything() {
    MoverSlots slots = new MoverSlots(new Limits(0, 0), () -> { throw new AssertionError("no need to look"); }, Clock.systemUTC());
    assertThat(slots.request(run("a", "x", 0))).isInstanceOf(Granted.class);
  }

  @Test
  void aNamespaceWithManyWaitingRunsDoesNotStarveOneWithFew() {
    List<Claim> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(run("big", "run-" + i, i));
    }
    waiting.add(run("small", "only", 30));

    assertThat(granted(new Limits(2, 0), List.of(), waiting)).containsExactlyInAnyOrder("big/run-0", "small/only");
  }

  @Test
  void runsAlreadyHeldCountAgainstTheirNamespacesTurn() {
    List<Claim> holding = List.of(run("big", "r1", 0), run("big", "r2", 0));
    List<Claim> waiting = List.of(run("big", "next", 1), run("small", "late", 50), run("other", "later", 55));

    assertThat(granted(new Limits(4, 0), holding, waiting)).containsExactlyInAnyOrder("small/late", "other/later");
  }

  @Test
  void withinANamespaceTheOldestWaitingRunGoesFirst() {
    List<Claim> waiting = List.of(run("a", "newer", 5), run("a", "older", 1));
    assertThat(granted(new Limits(1, 0), List.of(), waiting)).containsExactly("a/older");
  }

  @Test
  void thePerNamespaceLimitHoldsEvenWithFreeGlobalSlots() {
    List<Claim> holding = List.of(run("a", "r1", 0));
    List<Claim> waiting = List.of(run("a", "w1", 1), run("b", "w2", 2));

    assertThat(granted(new Limits(10, 1), holding, waiting)).containsExactly("b/w2");
    Wait wait = (Wait) MoverSlots.decide(new Limits(10, 1), holding, waiting, run("a", "w1", 1));
    assertThat(wait.message()).isEqualTo("1 of 10 mover Jobs running (1 of 1 in namespace a); 1 run waits ahead of this one");
  }

  @Test
  void aRefusedRunIsToldHowManyRunAndHowManyWaitAhead() {
    List<Claim> holding = List.of(run("a", "r1", 0), run("b", "r2", 0));
    List<Claim> waiting = List.of(run("a", "w1", 1), run("b", "w2", 2), run("c", "w3", 3));

    Wait wait = (Wait) MoverSlots.decide(new Limits(2, 0), holding, waiting, run("a", "late", 9));

    assertThat(wait.running()).isEqualTo(2);
    assertThat(wait.ahead()).isEqualTo(3);
    assertThat(wait.message()).isEqualTo("2 of 2 mover Jobs running; 3 runs wait ahead of this one");
  }

  @Test
  void twoWorkersAskingAtOnceNeverGetTheSameSlot() {
    List<Claim> nothing = List.of();
    MoverSlots.Source empty = new MoverSlots.Source() {
      @Override
      public List<Claim> holding() {
        return nothing;
      }

      @Override
      public List<Claim> waiting() {
        return nothing;
      }
    };
    MoverSlots slots = new MoverSlots(new Limits(1, 0), () -> List.of(empty), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    assertThat(slots.request(run("a", "first", 0))).isInstanceOf(Granted.class);
    assertThat(slots.request(run("b", "second", 0))).as("the cache does not show the first grant yet").isInstanceOf(Wait.class);
    assertThat(slots.request(run("a", "first", 0))).as("asking again keeps the grant").isInstanceOf(Granted.class);
  }
}

package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * Phase {@code Pending} of a restore: valid, waiting for a mover slot as backups do ({@link MoverSlots});
 * it never fails for waiting. A slot that frees wakes it; {@link #RECHECK} is the backstop.
 */
@Component
public class RestorePendingHandler implements RestorePhaseHandler {
  public static final String WAITING = "WaitingForMoverSlot";
  static final Duration RECHECK = Duration.ofMinutes(1);

  private final MoverSlots slots;

  public RestorePendingHandler(MoverSlots slots) {
    this.slots = slots;
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.PENDING;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    OffsetDateTime since = run.status().phaseTransitionTime() == null ? run.now() : run.status().phaseTransitionTime();
    if (slots.request(claim(run, since)) instanceof MoverSlots.Wait wait) {
      return Transition.<DataMoverRestoreStatus.Builder>stay(RestorePhase.PENDING, WAITING, "Waiting for a mover slot: " + wait.message())
          .requeueAfter(RECHECK);
    }
    return Transition.to(RestorePhase.PREPARING_TARGET, "MoverSlotGranted", "A mover slot is free; preparing PVC " + run.restoreClaim());
  }

  static MoverSlots.Claim claim(RestoreRun run, OffsetDateTime since) {
    return new MoverSlots.Claim(DataMoverApi.RESTORE_KIND, run.namespace(), run.name(), since);
  }
}

package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.WorkingVolume;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * Phase {@code Pending}: the run is valid and waits for a mover slot (the operator-wide cap on running
 * mover Jobs, {@link MoverSlots}). It never fails for waiting; its message says how many mover Jobs run
 * and how many runs wait ahead of it. A slot that frees wakes it (a Job ends, a run ends or is deleted);
 * {@link #RECHECK} is the backstop.
 */
@Component
public class PendingHandler implements DataMoverPhaseHandler {
  public static final String WAITING = "WaitingForMoverSlot";
  static final Duration RECHECK = Duration.ofMinutes(1);

  private final MoverSlots slots;
  private final DataMoverProperties properties;

  public PendingHandler(MoverSlots slots, DataMoverProperties properties) {
    this.slots = slots;
    this.properties = properties;
  }

  @Override
  public Phase phase() {
    return Phase.PENDING;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    OffsetDateTime since = run.status().phaseTransitionTime() == null ? run.now() : run.status().phaseTransitionTime();
    if (slots.request(claim(run, since)) instanceof MoverSlots.Wait wait) {
      return Transition.stay(Phase.PENDING, WAITING, "Waiting for a mover slot: " + wait.message()).requeueAfter(RECHECK);
    }
    return ValidateHandler.start(run, "MoverSlotGranted", "A mover slot is free; " + next(run), properties);
  }

  private static String next(Run run) {
    WorkingVolume volume = run.volume();
    return switch (volume.method()) {
      case CLONE -> "cloning " + run.spec().sourcePvc() + " to " + volume.claim();
      case SNAPSHOT -> "taking VolumeSnapshot " + volume.snapshot() + " of " + run.spec().sourcePvc();
      case DIRECT -> "the mover reads " + volume.describe() + " itself, read-only";
    };
  }

  static MoverSlots.Claim claim(Run run, OffsetDateTime since) {
    return new MoverSlots.Claim(DataMoverApi.KIND, run.namespace(), run.name(), since);
  }
}

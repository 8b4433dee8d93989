package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.phase.Transition;
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

  public PendingHandler(MoverSlots slots) {
    this.slots = slots;
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
    return Transition.to(Phase.CREATING_CLONED_PVC, "MoverSlotGranted",
        "A mover slot is free; cloning " + run.spec().sourcePvc() + " to " + ChildNames.clonePvc(run.name()));
  }

  static MoverSlots.Claim claim(Run run, OffsetDateTime since) {
    return new MoverSlots.Claim(DataMoverApi.KIND, run.namespace(), run.name(), since);
  }
}

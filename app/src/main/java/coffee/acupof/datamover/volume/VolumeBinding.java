package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.runtime.Durations;
import coffee.acupof.datamover.runtime.phase.RunContext;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import java.util.Optional;

/**
 * When a mover pod may be created for a PVC the run made (a clone, a PVC from a snapshot, a restore's
 * target). With a storage class that binds at once (or none: static binding), a pod created before
 * its PVC is bound fails scheduling ("pod has unbound immediate PersistentVolumeClaims"), and the
 * kube-scheduler may then keep it in its unschedulable queue for up to five minutes after the PVC
 * binds, when the bind arrives while it was trying the pod. So the run waits for the bind, woken by
 * the PVC's update; it writes nothing while it waits, warns in the status after half of {@code bind}
 * and fails after {@code bind}. With {@code WaitForFirstConsumer} the PVC binds only once a pod that
 * uses it is scheduled, so the pod comes first.
 */
public final class VolumeBinding {
  /** Reason of the status while the PVC is still not bound after half of its time to bind. */
  public static final String WAITING = "WaitingForVolumeBinding";
  private static final String FIRST_CONSUMER = "WaitForFirstConsumer";

  private VolumeBinding() {}

  public static boolean bound(V1PersistentVolumeClaim pvc) {
    return pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
  }

  /** Whether the PVC's storage class binds only once a pod that uses it is scheduled. */
  public static boolean bindsOnFirstConsumer(ClusterView cluster, V1PersistentVolumeClaim pvc) {
    String className = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
    return className != null && cluster.storageClass(className).map(c -> FIRST_CONSUMER.equals(c.getVolumeBindingMode())).orElse(false);
  }

  /**
   * The transition of a run in {@code current} whose mover pod would mount {@code pvc}, while that
   * pod must not be created yet; empty once it may be (the PVC is bound, or binds on first consumer).
   *
   * @param what the PVC in words, e.g. {@code target PVC restored}
   * @param hint what to check when it never binds, e.g. {@code check its storage class}
   */
  public static <B> Optional<Transition<B>> awaitBound(
      RunContext<?> run,
      ClusterView cluster,
      V1PersistentVolumeClaim pvc,
      Duration bind,
      RunPhase<B> current,
      RunPhase<B> failed,
      String failReason,
      String what,
      String hint) {
    if (bound(pvc) || bindsOnFirstConsumer(cluster, pvc)) {
      return Optional.empty();
    }
    String describe = " (kubectl describe pvc " + pvc.getMetadata().getName() + ")";
    if (run.timeInPhase().compareTo(bind) >= 0) {
      return Optional.of(Transition.fail(failed, failReason, what + " is still not bound after " + Durations.human(bind) + "; " + hint + describe));
    }
    Duration warnAt = bind.dividedBy(2);
    if (run.timeInPhase().compareTo(warnAt) >= 0) {
      String message = Character.toUpperCase(what.charAt(0)) + what.substring(1) + " is still not bound after " + Durations.human(warnAt)
          + "; " + hint + describe + "; the mover Job starts once it is bound, and the run fails if it is not bound within " + Durations.human(bind);
      return Optional.of(Transition.stay(current, WAITING, message).warning().requeueAfter(run.remaining(bind)));
    }
    return Optional.of(Transition.<B>keep(current, run.object().getStatus()).requeueAfter(run.remaining(warnAt)));
  }
}

package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverJobBuilder;
import coffee.acupof.datamover.mover.MoverJobDeadlines;
import coffee.acupof.datamover.mover.MoverJobProgress;
import coffee.acupof.datamover.mover.MoverResult;
import coffee.acupof.datamover.runtime.Durations;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.VolumeBinding;
import coffee.acupof.datamover.volume.WorkingVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code CreatingPod}: creates the mover Job and follows it. The mover reads the run's
 * {@link WorkingVolume}: the clone, the PVC from the snapshot, or ({@code Direct}) the source itself,
 * read-only and, for a volume a running pod mounts that only one node can attach, on that pod's node.
 * The run fails only when the Job has failed for good (attempts exhausted, deadline, or a permanent
 * error the mover reported); a failed attempt followed by a successful one completes. Two deadlines
 * guard against a run that never starts: a PVC that stays unbound while no pod runs, and a Job that
 * never reports an end.
 *
 * <p>The status was written when the phase began (naming the Job); creating the Job records an Event
 * only, and the Job's normal progress writes nothing. A failed attempt, a pod that cannot be
 * scheduled and a volume not bound after half its time are Warnings and are written (with
 * {@code attempts}), and so is the running state that ends one; the attempts of a normal run are
 * written when the phase ends.
 */
@Component
public class MoverJobHandler implements DataMoverPhaseHandler {
  /** Reason after a failed attempt while another one remains (a Warning Event with the mover's message). */
  public static final String ATTEMPT_FAILED = MoverJobProgress.ATTEMPT_FAILED;
  /** Reason of the Event recorded when the Job is created (the status does not change: it named the Job already). */
  public static final String JOB_CREATED = "MoverJobCreated";

  private final ClusterView cluster;
  private final ClusterOperations operations;
  private final DataMoverProperties properties;

  public MoverJobHandler(ClusterView cluster, ClusterOperations operations, DataMoverProperties properties) {
    this.cluster = cluster;
    this.operations = operations;
    this.properties = properties;
  }

  @Override
  public Phase phase() {
    return Phase.CREATING_POD;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    String jobName = ChildNames.moverJob(run.name());
    WorkingVolume volume = run.volume();
    boolean volumeBound = bound(run, volume);
    MoverJobProgress progress =
        MoverJobProgress.of(
            jobName,
            cluster.job(run.namespace(), jobName),
            cluster.podsOfJob(run.namespace(), jobName),
            run.dataMover(),
            run.now(),
            properties.mover().attempts(),
            volumeBound ? "" : " (" + volume.describe() + " not bound yet)");
    return switch (progress) {
      case MoverJobProgress.NotCreated n -> createJob(run, jobName, volume);
      case MoverJobProgress.Foreign f -> Transition.fail(Phase.FAILED, "MoverJobConflict", f.message());
      case MoverJobProgress.AwaitingResult a -> Transition.<DataMoverStatus.Builder>keep(Phase.CREATING_POD, run.status()).requeueAfter(a.recheckAfter());
      case MoverJobProgress.Succeeded ok -> succeeded(run, jobName, ok);
      case MoverJobProgress.Failed failed ->
          Transition.<DataMoverStatus.Builder>fail(Phase.FAILED, failed.reason(), failed.message())
              .with(b -> b.attempts(failed.attempts()).jobName(jobName));
      case MoverJobProgress.Running r -> running(run, jobName, r, volumeBound, volume);
    };
  }

  private Transition<DataMoverStatus.Builder> createJob(Run run, String jobName, WorkingVolume volume) {
    if (cluster.pvc(run.namespace(), volume.claim()).isEmpty()) {
      return Transition.fail(Phase.FAILED, volume.reasonPrefix() + "Lost", volume.describe() + " was deleted before the mover ran");
    }
    Optional<V1Pod> user = volume.method() == CopyMethod.DIRECT ? podPinningTheSource(run) : Optional.empty();
    Optional<String> node = user.map(p -> p.getSpec().getNodeName());
    boolean created;
    try {
      created = operations.createJob(MoverJobBuilder.build(run.dataMover(), properties.mover(), node));
    } catch (ClusterException e) {
      if (e.isPermanent()) {
        return Transition.fail(Phase.FAILED, "MoverJobRejected", "the API server refused Job " + jobName + ": " + e.getMessage());
      }
      throw e;
    }
    // The status named the Job when the phase began; the Event says it exists now, and where it runs.
    Transition<DataMoverStatus.Builder> started = Transition.keep(Phase.CREATING_POD, run.status())
        .with(b -> b.jobName(jobName))
        .requeueAfter(MoverJobDeadlines.of(properties).recheckAfter(run, false, false));
    if (!created) {
      return started;
    }
    String where = volume.method() != CopyMethod.DIRECT ? ""
        : user.map(p -> " on node " + p.getSpec().getNodeName() + ", where pod " + p.getMetadata().getName() + " mounts " + volume.describe())
            .orElse(" on " + volume.describe());
    return started.recording(Notice.normal(
        JOB_CREATED, "Created mover Job " + jobName + where + " (up to " + plural(properties.mover().attempts(), "attempt") + ")"));
  }

  /** What the transition into {@code CreatingPod} says, with the Job's deterministic name: {@code starting mover Job x-mover (up to 3 attempts)}. */
  static String starting(Run run, DataMoverProperties properties) {
    return "starting mover Job " + ChildNames.moverJob(run.name()) + " (up to " + plural(properties.mover().attempts(), "attempt") + ")";
  }

  private Transition<DataMoverStatus.Builder> succeeded(Run run, String jobName, MoverJobProgress.Succeeded ok) {
    Optional<MoverResult> result = ok.result();
    Phase next = run.spec().deleteCloneAfterBackup() ? Phase.CLEANING_UP : Phase.COMPLETED;
    String where = result.map(MoverResult::destination).filter(d -> d != null && !d.isBlank()).map(d -> " to " + d).orElse("");
    String counts =
        result.map(r -> " (" + plural(orZero(r.files()), "file") + ", " + orZero(r.bytes()) + " bytes)").orElse("");
    String message = "Backup written" + where + counts + " after " + plural(ok.attempts(), "attempt");
    return Transition.<DataMoverStatus.Builder>to(next, "MoverSucceeded", message)
        .with(
            b -> {
              b.attempts(ok.attempts()).jobName(jobName);
              result.ifPresent(
                  r -> b.destination(r.destination()).bytesTransferred(r.bytes()).filesTransferred(r.files()).pointInTime(r.pointInTime()));
              return b;
            });
  }

  /**
   * A running pod (not the operator's own) that mounts the source of a Direct run whose volume only one
   * node can attach at a time (not ReadWriteMany or ReadOnlyMany): the mover must run on its node.
   */
  private Optional<V1Pod> podPinningTheSource(Run run) {
    V1PersistentVolumeClaim source = cluster.pvc(run.namespace(), run.spec().sourcePvc()).orElseThrow();
    List<String> modes = source.getSpec().getAccessModes() == null ? List.of() : source.getSpec().getAccessModes();
    if (modes.contains("ReadWriteMany") || modes.contains("ReadOnlyMany")) {
      return Optional.empty();
    }
    return cluster.podsMounting(run.namespace(), run.spec().sourcePvc()).stream()
        .filter(p -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isBlank())
        .filter(p -> p.getMetadata().getLabels() == null || !DataMoverApi.OPERATOR_NAME.equals(p.getMetadata().getLabels().get(DataMoverApi.LABEL_MANAGED_BY)))
        .findFirst();
  }

  private Transition<DataMoverStatus.Builder> running(
      Run run, String jobName, MoverJobProgress.Running r, boolean volumeBound, WorkingVolume volume) {
    MoverJobDeadlines deadlines = MoverJobDeadlines.of(properties);
    boolean waitingForVolume = !r.podStarted() && !volumeBound;
    Optional<MoverJobDeadlines.Exceeded> exceeded = deadlines.exceeded(run, waitingForVolume);
    if (exceeded.isPresent()) {
      return switch (exceeded.get()) {
        case VOLUME_NOT_BOUND -> Transition.fail(
            Phase.FAILED,
            volume.reasonPrefix() + "NotBound",
            volume.describe() + " is still not bound after " + Durations.human(deadlines.bind())
                + " and no mover pod could start; " + volume.notBoundHint() + " (kubectl describe pvc " + volume.claim() + ")");
        case NO_RESULT -> Transition.fail(
            Phase.FAILED,
            "MoverTimedOut",
            "mover Job " + jobName + " reported no result within " + Durations.human(deadlines.total())
                + "; check the Job controller and the pod events");
      };
    }
    Duration recheck = deadlines.recheckAfter(run, r.podStarted(), volumeBound);
    MoverJobProgress.Running shown = r.podStarted() ? r : r.beforeStart(deadlines.startLate(run), volumeBound,
        "Mover Job " + jobName + " waits for " + volume.describe() + ", still not bound after " + Durations.human(deadlines.startWarning())
            + "; " + volume.notBoundHint() + " (kubectl describe pvc " + volume.claim() + "); the run fails if it is not bound within "
            + Durations.human(deadlines.bind()));
    return shown.transition(Phase.CREATING_POD, run.status(), b -> b.attempts(shown.attempts()).jobName(jobName), recheck);
  }

  private boolean bound(Run run, WorkingVolume volume) {
    return cluster.pvc(run.namespace(), volume.claim()).map(VolumeBinding::bound).orElse(false);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  static String plural(long count, String noun) {
    return MoverJobProgress.plural(count, noun);
  }
}

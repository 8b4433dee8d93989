package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverContract;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.mover.RemoteInputs;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.runtime.phase.MissingInputs;
import coffee.acupof.datamover.runtime.phase.MissingInputs.Problem;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.SnapshotClasses;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.WorkingVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ""}: the source PVC must exist and be bound, and the remote's Secret (or rclone.conf
 * Secret, and a custom CA) must exist with the keys the mover needs ({@link RemoteInputs}); a
 * {@code Snapshot} run needs the VolumeSnapshot CRDs and its snapshot class (the named one, or a
 * default class of the source's driver), and a {@code Direct} run a source that it can mount next to
 * its users (not a ReadWriteOncePod volume in use). While something is missing the status says
 * exactly what; after {@code datamover.deadlines.validation} the run is Failed with that message. A
 * valid run then asks for a mover slot ({@link MoverSlots}): it goes on to the first step of its copy
 * method ({@link #firstPhase}), or waits in {@code Pending}.
 */
@Component
public class ValidateHandler implements DataMoverPhaseHandler {
  /** How often a Direct run waiting for its ReadWriteOncePod source to be free looks again (pods are not watched). */
  static final Duration IN_USE_RECHECK = Duration.ofSeconds(30);
  private static final String SOURCE_IN_USE = "SourcePVCInUse";

  private final ClusterView cluster;
  private final Snapshots snapshots;
  private final Duration deadline;
  private final PointAllocator points;
  private final MoverSlots slots;
  private final DataMoverProperties properties;

  public ValidateHandler(ClusterView cluster, Snapshots snapshots, DataMoverProperties properties, PointAllocator points, MoverSlots slots) {
    this.cluster = cluster;
    this.snapshots = snapshots;
    this.properties = properties;
    this.deadline = properties.deadlines().validation();
    this.points = points;
    this.slots = slots;
  }

  @Override
  public Phase phase() {
    return Phase.NEW;
  }

  @Override
  public Transition<DataMoverStatus.Builder> handle(Run run) {
    if (run.spec().copyMethodOrDefault() == CopyMethod.SNAPSHOT && snapshots.state() == OptionalInformer.State.STARTING) {
      return Transition.keep(Phase.NEW, run.status()).requeueAfter(Snapshots.CACHE_RECHECK);
    }
    List<Problem> problems = problems(run);
    if (problems.isEmpty()) {
      DataMoverSpec spec = run.spec();
      WorkingVolume volume = run.volume();
      String found = "Source PVC " + spec.sourcePvc() + " and " + RemoteInputs.describe(spec) + " found; " + plan(volume, spec);
      String temporary = volume.temporary() ? volume.claim() : null;
      if (!spec.timestampPrefix()) {
        return startOrWait(run, found).with(b -> b.restoredPvcName(temporary).volumeSnapshotName(volume.snapshot()));
      }
      // Runs created in the same second are all in the cache once that second has passed; only then
      // can the allocation follow the same order whichever of them is validated first.
      OffsetDateTime settled = run.dataMover().getMetadata().getCreationTimestamp().plus(PointAllocator.SETTLE);
      if (run.now().isBefore(settled)) {
        return Transition.keep(Phase.NEW, run.status()).requeueAfter(Duration.between(run.now(), settled));
      }
      // The point is chosen once, before anything is written, and kept in status for every attempt.
      String point = points.allocate(run.dataMover());
      String created = MoverContract.pointInTime(run.dataMover().getMetadata().getCreationTimestamp());
      String where = spec.effectivePath().isEmpty() ? "the bucket root" : "path " + spec.effectivePath();
      String chosen = point.equals(created)
          ? "; point in time " + point
          : "; point in time " + point + " (" + created + " is taken by another run at " + where + ")";
      return startOrWait(run, found + chosen).with(b -> b.restoredPvcName(temporary).volumeSnapshotName(volume.snapshot()).pointInTime(point));
    }
    Transition<DataMoverStatus.Builder> waiting = MissingInputs.waitOrFail(run, problems, Phase.NEW, Phase.FAILED, deadline);
    // Pods are not watched: look again soon whether the source is still in use.
    boolean inUse = problems.stream().anyMatch(p -> p.reason().equals(SOURCE_IN_USE));
    return inUse && !waiting.next().isTerminal() ? waiting.requeueAfter(IN_USE_RECHECK) : waiting;
  }

  /** What the run does next, in words. */
  private static String plan(WorkingVolume volume, DataMoverSpec spec) {
    return switch (volume.method()) {
      case CLONE -> "cloning the source to " + volume.claim();
      case SNAPSHOT -> "taking VolumeSnapshot " + volume.snapshot() + " of the source"
          + (spec.volumeSnapshotClassName() == null ? "" : " (class " + spec.volumeSnapshotClassName() + ")");
      case DIRECT -> "the mover reads the source itself, read-only (copyMethod Direct)";
    };
  }

  /** The first phase of a granted run: the clone, the snapshot, or (Direct) the mover Job at once. */
  static Phase firstPhase(Run run) {
    return switch (run.spec().copyMethodOrDefault()) {
      case CLONE -> Phase.CREATING_CLONED_PVC;
      case SNAPSHOT -> Phase.CREATING_SNAPSHOT;
      case DIRECT -> Phase.CREATING_POD;
    };
  }

  /** On to the copy method's first step when a mover slot is free, else {@code Pending}. */
  private Transition<DataMoverStatus.Builder> startOrWait(Run run, String found) {
    MoverSlots.Decision decision = slots.request(PendingHandler.claim(run, run.now()));
    if (decision instanceof MoverSlots.Wait wait) {
      return Transition.to(Phase.PENDING, PendingHandler.WAITING, found + "; waiting for a mover slot: " + wait.message())
          .requeueAfter(PendingHandler.RECHECK);
    }
    return start(run, "Validated", found, properties);
  }

  /**
   * Into the copy method's first phase with {@code reason} and {@code message}; a {@code Direct} run goes
   * straight to {@code CreatingPod}, so the message names the mover Job and {@code jobName} is set.
   */
  static Transition<DataMoverStatus.Builder> start(Run run, String reason, String message, DataMoverProperties properties) {
    Phase first = firstPhase(run);
    if (first != Phase.CREATING_POD) {
      return Transition.to(first, reason, message);
    }
    String jobName = ChildNames.moverJob(run.name());
    return Transition.<DataMoverStatus.Builder>to(first, reason, message + "; " + MoverJobHandler.starting(run, properties)).with(b -> b.jobName(jobName));
  }

  private List<Problem> problems(Run run) {
    DataMoverSpec spec = run.spec();
    String ns = run.namespace();
    List<Problem> problems = new ArrayList<>();
    CopyMethod method = spec.copyMethodOrDefault();
    Optional<V1PersistentVolumeClaim> source = cluster.pvc(ns, spec.sourcePvc());
    if (source.isEmpty()) {
      problems.add(new Problem("SourcePVCNotFound", "source PVC " + spec.sourcePvc() + " not found in namespace " + ns));
    } else if (source.get().getMetadata().getDeletionTimestamp() != null) {
      problems.add(new Problem("SourcePVCDeleting", "source PVC " + spec.sourcePvc() + " is being deleted"));
    } else {
      String pvcPhase = source.get().getStatus() == null ? null : source.get().getStatus().getPhase();
      if (!"Bound".equals(pvcPhase)) {
        String needs = switch (method) {
          case CLONE -> "a clone needs a Bound source";
          case SNAPSHOT -> "a snapshot needs a Bound source";
          case DIRECT -> "the mover reads a Bound source";
        };
        problems.add(
            new Problem(
                "SourcePVCNotBound",
                "source PVC " + spec.sourcePvc() + " is " + (pvcPhase == null ? "not yet bound" : pvcPhase) + " (" + needs + ")"));
      } else if (method == CopyMethod.SNAPSHOT && snapshots.state() != OptionalInformer.State.ABSENT) {
        SnapshotClasses.problem(snapshots, cluster, spec.volumeSnapshotClassName(), source.get(), "source PVC " + spec.sourcePvc())
            .ifPresent(problems::add);
      } else if (method == CopyMethod.DIRECT) {
        inUseByOnePod(run, source.get()).ifPresent(problems::add);
      }
    }
    if (method == CopyMethod.SNAPSHOT && snapshots.state() == OptionalInformer.State.ABSENT) {
      problems.add(new Problem(Snapshots.CRDS_MISSING_REASON, "copyMethod Snapshot: " + Snapshots.CRDS_MISSING));
    }
    problems.addAll(RemoteInputs.check(cluster, ns, spec, spec.additionalEnvOrEmpty()));
    return problems;
  }

  /** A ReadWriteOncePod source that a pod mounts cannot be mounted by the mover as well. */
  private Optional<Problem> inUseByOnePod(Run run, V1PersistentVolumeClaim source) {
    List<String> modes = source.getSpec().getAccessModes();
    if (modes == null || !modes.contains("ReadWriteOncePod")) {
      return Optional.empty();
    }
    List<String> users = cluster.podsMounting(run.namespace(), run.spec().sourcePvc()).stream().map(p -> p.getMetadata().getName()).toList();
    if (users.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Problem(SOURCE_IN_USE,
        "source PVC " + run.spec().sourcePvc() + " is ReadWriteOncePod and mounted by pod " + String.join(", ", users)
            + ", so the mover cannot mount it too; stop the pod, or use copyMethod Snapshot or Clone"));
  }
}

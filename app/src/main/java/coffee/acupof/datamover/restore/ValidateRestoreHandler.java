package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.RemoteInputs;
import coffee.acupof.datamover.runtime.CoreKinds;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.runtime.phase.MissingInputs;
import coffee.acupof.datamover.runtime.phase.MissingInputs.Problem;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.SnapshotClasses;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.VolumeBinding;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Phase {@code ""} of a restore: the Secret (or rclone.conf Secret, and a custom CA) must configure the
 * remote ({@link RemoteInputs}; with {@code copyMethod: Snapshot}, the VolumeSnapshot CRDs and a
 * snapshot class for the filled PVC must exist too), and the target must be usable —
 * an existing PVC that no running pod mounts (unless allowed), or a template to create it; for a
 * volume populator, a PVC whose {@code dataSourceRef} names this restore and that has not bound yet
 * (with WaitForFirstConsumer storage, once a pod that uses it is scheduled). Missing inputs are named
 * in the status and fail the restore after {@code datamover.deadlines.validation}; a populator waits
 * for its PVC without a deadline, as a data source does.
 */
@Component
public class ValidateRestoreHandler implements RestorePhaseHandler {
  /** How often a restore waiting for its target to be free looks again (pods are not watched). */
  static final Duration IN_USE_RECHECK = Duration.ofSeconds(30);

  private final ClusterView cluster;
  private final Snapshots snapshots;
  private final Duration deadline;
  private final MoverSlots slots;
  private final RestoreOrigins origins;

  public ValidateRestoreHandler(
      ClusterView cluster, Snapshots snapshots, DataMoverProperties properties, MoverSlots slots, RestoreOrigins origins) {
    this.cluster = cluster;
    this.snapshots = snapshots;
    this.deadline = properties.deadlines().validation();
    this.slots = slots;
    this.origins = origins;
  }

  @Override
  public RunPhase<DataMoverRestoreStatus.Builder> phase() {
    return RestorePhase.NEW;
  }

  @Override
  public Transition<DataMoverRestoreStatus.Builder> handle(RestoreRun run) {
    DataMoverRestoreSpec spec = run.spec();
    boolean snapshot = spec.copyMethodOrDefault() == CopyMethod.SNAPSHOT;
    if (snapshot && snapshots.state() == OptionalInformer.State.STARTING) {
      return Transition.keep(RestorePhase.NEW, run.status()).requeueAfter(Snapshots.CACHE_RECHECK);
    }
    List<Problem> problems = new ArrayList<>();
    Optional<RestoreOrigin> origin = origins.of(run);
    if (origin.isEmpty()) {
      problems.add(new Problem("ScheduleNotFound", "DataMoverSchedule " + spec.scheduleName() + " not found in namespace " + run.namespace()));
    } else {
      List<V1EnvVar> env = new ArrayList<>(origin.get().additionalEnv());
      env.addAll(spec.additionalEnvOrEmpty());
      problems.addAll(RemoteInputs.check(cluster, run.namespace(), origin.get().remote(), env));
    }
    String found = origin.map(o -> RemoteInputs.describe(o.remote()) + " found; restoring " + point(spec) + " of the "
        + o.describe(run.namespace())).orElse("");
    if (snapshot && snapshots.state() == OptionalInformer.State.ABSENT) {
      problems.add(new Problem(Snapshots.CRDS_MISSING_REASON, "copyMethod Snapshot: " + Snapshots.CRDS_MISSING));
    }
    return spec.isPopulator() ? populator(run, problems, found) : direct(run, problems, found);
  }

  /** With {@code copyMethod: Snapshot} and the CRDs there: whether the PVC that will be filled can be snapshotted with the restore's class. */
  private void checkSnapshotClass(RestoreRun run, V1PersistentVolumeClaim filled, List<Problem> problems) {
    if (run.spec().copyMethodOrDefault() == CopyMethod.SNAPSHOT && snapshots.state() == OptionalInformer.State.READY) {
      SnapshotClasses.problem(snapshots, cluster, run.spec().volumeSnapshotClassName(), filled, "PVC " + filled.getMetadata().getName())
          .ifPresent(problems::add);
    }
  }

  private Transition<DataMoverRestoreStatus.Builder> direct(RestoreRun run, List<Problem> problems, String found) {
    DataMoverRestoreSpec spec = run.spec();
    String ns = run.namespace();
    Optional<V1PersistentVolumeClaim> target = cluster.pvc(ns, spec.targetPvc());
    if (target.isEmpty()) {
      if (spec.targetPvcTemplate() == null) {
        problems.add(new Problem(
            "TargetPVCNotFound", "target PVC " + spec.targetPvc() + " not found in namespace " + ns + "; create it or set targetPvcTemplate"));
      }
    } else if (target.get().getMetadata().getDeletionTimestamp() != null) {
      problems.add(new Problem("TargetPVCDeleting", "target PVC " + spec.targetPvc() + " is being deleted"));
    } else if (!Boolean.TRUE.equals(spec.allowTargetInUse())) {
      List<V1Pod> users = cluster.podsMounting(ns, spec.targetPvc());
      if (!users.isEmpty()) {
        problems.add(new Problem(
            "TargetPVCInUse",
            "target PVC " + spec.targetPvc() + " is mounted by pod(s) " + String.join(", ", users.stream().map(p -> p.getMetadata().getName()).toList())
                + "; stop them (scale the workload down) or set allowTargetInUse: true"));
      }
    }
    if (target.isPresent() || spec.targetPvcTemplate() != null) {
      checkSnapshotClass(run, target.orElseGet(() -> RestorePvcBuilder.target(run.restore())), problems);
    }
    if (!problems.isEmpty()) {
      Transition<DataMoverRestoreStatus.Builder> waiting = MissingInputs.waitOrFail(run, problems, RestorePhase.NEW, RestorePhase.FAILED, deadline);
      // Pods are not watched: look again soon whether the target is still in use.
      boolean inUse = problems.stream().anyMatch(p -> p.reason().equals("TargetPVCInUse"));
      return inUse && !waiting.next().isTerminal() ? waiting.requeueAfter(IN_USE_RECHECK) : waiting;
    }
    String how = target.isEmpty() ? " into a new PVC " + spec.targetPvc() + " (from the template)" : " into PVC " + spec.targetPvc();
    return startOrWait(run, found + how).with(b -> b.targetPvc(spec.targetPvc()));
  }

  private Transition<DataMoverRestoreStatus.Builder> populator(RestoreRun run, List<Problem> problems, String found) {
    String ns = run.namespace();
    List<V1PersistentVolumeClaim> consumers =
        cluster.pvcsReferencing(ns, DataMoverApi.RESTORE_KIND, run.name()).stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    if (consumers.isEmpty()) {
      if (!problems.isEmpty()) {
        return MissingInputs.waitOrFail(run, problems, RestorePhase.NEW, RestorePhase.FAILED, deadline);
      }
      return Transition.stay(
          RestorePhase.NEW,
          "WaitingForConsumer",
          "Waiting for a PVC whose dataSourceRef names DataMoverRestore " + run.name() + " (this restore fills it before it binds)");
    }
    V1PersistentVolumeClaim consumer = consumers.getFirst();
    String claim = consumer.getMetadata().getName();
    if (consumer.getSpec().getVolumeName() != null && !consumer.getSpec().getVolumeName().isBlank()) {
      return Transition.fail(
              RestorePhase.FAILED,
              "TargetPVCAlreadyBound",
              "PVC " + claim + " is already bound to volume " + consumer.getSpec().getVolumeName() + "; a data source fills a PVC only before it binds")
          .alsoOn(consumer, CoreKinds.PVCS);
    }
    checkSnapshotClass(run, consumer, problems);
    if (!problems.isEmpty()) {
      return MissingInputs.waitOrFail(run, problems, RestorePhase.NEW, RestorePhase.FAILED, deadline).alsoOn(consumer, CoreKinds.PVCS);
    }
    if (VolumeBinding.bindsOnFirstConsumer(cluster, consumer) && !hasSelectedNode(consumer)) {
      return Transition.<DataMoverRestoreStatus.Builder>stay(
              RestorePhase.NEW,
              "WaitingForFirstConsumer",
              "PVC " + claim + " uses a WaitForFirstConsumer storage class: the restore starts once a pod that uses it is scheduled")
          .with(b -> b.targetPvc(claim))
          .alsoOn(consumer, CoreKinds.PVCS);
    }
    return startOrWait(run, found + " into PVC " + claim + " before it binds (it stays Pending until the data is in; the data goes into PVC "
            + ChildNames.primePvc(run.name()) + " first)")
        .with(b -> b.targetPvc(claim))
        .alsoOn(consumer, CoreKinds.PVCS);
  }

  private static String point(DataMoverRestoreSpec spec) {
    return switch (spec.pointInTimeOrLatest()) {
      case DataMoverRestoreSpec.LATEST -> "the latest";
      case DataMoverRestoreSpec.FIXED -> "the fixed-path backup";
      default -> "point " + spec.pointInTimeOrLatest();
    };
  }

  /** On to preparing the target when a mover slot is free, else {@code Pending}. */
  private Transition<DataMoverRestoreStatus.Builder> startOrWait(RestoreRun run, String found) {
    if (slots.request(RestorePendingHandler.claim(run, run.now())) instanceof MoverSlots.Wait wait) {
      return Transition.<DataMoverRestoreStatus.Builder>to(RestorePhase.PENDING, RestorePendingHandler.WAITING, found + "; waiting for a mover slot: " + wait.message())
          .requeueAfter(RestorePendingHandler.RECHECK);
    }
    return Transition.to(RestorePhase.PREPARING_TARGET, "Validated", found);
  }

  private static boolean hasSelectedNode(V1PersistentVolumeClaim pvc) {
    return pvc.getMetadata().getAnnotations() != null && pvc.getMetadata().getAnnotations().containsKey(RestorePvcBuilder.SELECTED_NODE);
  }
}

package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.volume.SnapshotKinds;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import coffee.acupof.datamover.volume.VolumeSnapshotBuilder;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the image a restore with {@code copyMethod: Snapshot} publishes: a VolumeSnapshot
 * {@code <restore>-snapshot} of the filled PVC, labelled with the restore. It belongs to the restore
 * (deleted with it, as VolSync's images belong to their ReplicationDestination), except for a run of a
 * schedule of restores: then it belongs to the schedule, which keeps its newest images by count
 * whatever happens to the runs, and carries the schedule's label too. Pure functions.
 */
public final class RestoreImageBuilder {
  public static final String COMPONENT = "restore-image";

  private RestoreImageBuilder() {}

  public static VolumeSnapshot build(DataMoverRestore restore, String pvc) {
    String name = ChildNames.snapshot(restore.name());
    V1ObjectMeta meta = Ownership.childMetadata(DataMoverApi.RESTORES, restore, name, COMPONENT);
    scheduleOf(restore).ifPresent(schedule -> {
      meta.ownerReferences(List.of(schedule));
      meta.putLabelsItem(Ownership.ownerLabel(DataMoverApi.SCHEDULES), schedule.getName());
    });
    return VolumeSnapshotBuilder.build(meta, pvc, restore.getSpec().volumeSnapshotClassName());
  }

  /** Whether {@code snapshot} is this restore's image (and not a foreign object of the same name). */
  public static boolean belongsTo(VolumeSnapshot snapshot, DataMoverRestore restore) {
    if (Ownership.isOwnedBy(snapshot.getMetadata(), restore)) {
      return true;
    }
    Map<String, String> labels = snapshot.getMetadata().getLabels();
    boolean labelled = labels != null && restore.name().equals(labels.get(Ownership.ownerLabel(DataMoverApi.RESTORES)));
    return labelled && scheduleOf(restore)
        .map(schedule -> snapshot.getMetadata().getOwnerReferences() != null
            && snapshot.getMetadata().getOwnerReferences().stream().anyMatch(ref -> schedule.getUid().equals(ref.getUid())))
        .orElse(false);
  }

  /** The reference {@code status.latestImage} holds. */
  public static V1TypedLocalObjectReference reference(VolumeSnapshot snapshot) {
    return new V1TypedLocalObjectReference().apiGroup(SnapshotKinds.GROUP).kind(SnapshotKinds.SNAPSHOT_KIND).name(snapshot.name());
  }

  /** The schedule that stamped out this restore: its controller owner reference, when that is a DataMoverSchedule. */
  private static Optional<V1OwnerReference> scheduleOf(DataMoverRestore restore) {
    List<V1OwnerReference> refs = restore.getMetadata().getOwnerReferences();
    return refs == null ? Optional.empty() : refs.stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()) && DataMoverApi.SCHEDULES.matches(ref.getApiVersion(), ref.getKind()))
        .findFirst();
  }
}

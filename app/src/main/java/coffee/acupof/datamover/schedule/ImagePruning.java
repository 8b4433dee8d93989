package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.restore.RestoreImageBuilder;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The images of a schedule of restores: the VolumeSnapshots its runs published, which belong to the
 * schedule. The newest ready one is the schedule's {@code latestImage}; of the ready ones the newest
 * {@code restore.keepImages} are kept and the older ones deleted, and an image that never became ready
 * is deleted once its run has ended (it failed). Images of runs still going are left alone.
 */
final class ImagePruning {
  /** The schedule's newest ready image (null before the first) and what was deleted now. */
  record Outcome(V1TypedLocalObjectReference latest, List<Notice> notices) {}

  private static final Comparator<VolumeSnapshot> NEWEST_FIRST =
      Comparator.comparing((VolumeSnapshot s) -> created(s)).reversed().thenComparing(VolumeSnapshot::name, Comparator.reverseOrder());

  private final Snapshots snapshots;

  ImagePruning(Snapshots snapshots) {
    this.snapshots = snapshots;
  }

  /** @param previous the schedule's {@code latestImage} so far, kept while the snapshot caches are not ready */
  Outcome reconcile(DataMoverSchedule schedule, ScheduleRuns runs, V1TypedLocalObjectReference previous) {
    if (snapshots.state() != OptionalInformer.State.READY) {
      return new Outcome(previous, List.of());
    }
    List<VolumeSnapshot> images = snapshots.labelled(schedule.namespace(), Ownership.ownerLabel(DataMoverApi.SCHEDULES), schedule.name()).stream()
        .filter(s -> Ownership.isOwnedBy(s.getMetadata(), schedule))
        .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
        .sorted(NEWEST_FIRST)
        .toList();
    List<VolumeSnapshot> ready = images.stream().filter(VolumeSnapshot::isReady).toList();
    int keep = schedule.getSpec().restore().keepImagesOrDefault();
    Set<String> active = runs.active().stream().map(ScheduledRun::name).collect(Collectors.toSet());
    String runLabel = Ownership.ownerLabel(DataMoverApi.RESTORES);
    List<String> deleted = new ArrayList<>();
    for (VolumeSnapshot image : ready.subList(Math.min(keep, ready.size()), ready.size())) {
      if (snapshots.delete(schedule.namespace(), image.name())) {
        deleted.add(image.name());
      }
    }
    for (VolumeSnapshot image : images) {
      String run = image.getMetadata().getLabels().get(runLabel);
      if (!image.isReady() && !active.contains(run) && snapshots.delete(schedule.namespace(), image.name())) {
        deleted.add(image.name() + " (never ready: run " + run + " ended without it)");
      }
    }
    List<Notice> notices = deleted.isEmpty() ? List.of()
        : List.of(Notice.normal("ImagesPruned", "Deleted VolumeSnapshot " + String.join(", ", deleted) + "; keeping the newest " + keep + " ready"));
    return new Outcome(ready.isEmpty() ? null : RestoreImageBuilder.reference(ready.getFirst()), notices);
  }

  private static OffsetDateTime created(VolumeSnapshot snapshot) {
    OffsetDateTime created = snapshot.getMetadata().getCreationTimestamp();
    return created == null ? OffsetDateTime.MIN : created;
  }
}

package coffee.acupof.datamover.api;

/**
 * The {@code restore} block of a DataMoverSchedule: it makes every run a DataMoverRestore instead of a
 * backup. Each run restores the newest complete point in time of the schedule's source (its
 * {@code sourcePvc}, {@code secretName}, {@code path}) into a new PVC from {@code targetPvcTemplate},
 * publishes a VolumeSnapshot of it (the schedule's {@code status.latestImage}) and deletes the PVC once
 * the snapshot is ready; the newest {@code keepImages} snapshots are kept.
 *
 * @param targetPvcTemplate the PVC each run restores into (class, access modes, size)
 * @param volumeSnapshotClassName the class of the snapshots; the default class of the PVC's driver when absent
 * @param keepImages how many of the newest ready snapshots to keep (3 when absent)
 */
public record ScheduleRestoreSpec(PvcTemplate targetPvcTemplate, String volumeSnapshotClassName, Integer keepImages) {

  public int keepImagesOrDefault() {
    return keepImages == null ? 3 : keepImages;
  }
}

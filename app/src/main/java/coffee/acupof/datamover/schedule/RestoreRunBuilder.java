package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.CopyMethod;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.ScheduleRestoreSpec;
import coffee.acupof.datamover.cluster.Ownership;
import java.time.Instant;

/**
 * Builds one run of a schedule of restores ({@code spec.restore}): a DataMoverRestore named like a
 * backup run (after the time it was scheduled for), owned by the schedule, that restores the newest
 * complete point in time of the schedule's backups (it names the schedule as {@code scheduleName}, so its
 * source, remote, path and extra environment are the schedule's) into a new PVC of the same name from the template
 * (owned by the run), publishes a VolumeSnapshot of it ({@code copyMethod: Snapshot}) and then deletes
 * that PVC. A pure function.
 */
public final class RestoreRunBuilder {
  private RestoreRunBuilder() {}

  public static DataMoverRestore build(DataMoverSchedule schedule, String name, Instant scheduledTime, String trigger) {
    return new DataMoverRestore()
        .metadata(Ownership.childMetadata(DataMoverApi.SCHEDULES, schedule, name, RunBuilder.COMPONENT)
            .annotations(RunBuilder.annotations(scheduledTime, trigger)))
        .spec(spec(schedule, name));
  }

  static DataMoverRestoreSpec spec(DataMoverSchedule schedule, String name) {
    DataMoverScheduleSpec s = schedule.getSpec();
    ScheduleRestoreSpec restore = s.restore();
    return new DataMoverRestoreSpec(
        null,
        null,
        null,
        DataMoverRestoreSpec.LATEST,
        name,
        restore.targetPvcTemplate(),
        true,
        null,
        null,
        null,
        null,
        s.image(),
        schedule.getMetadata().getName(),
        null,
        null,
        CopyMethod.SNAPSHOT.wireName(),
        restore.volumeSnapshotClassName(),
        true);
  }
}

package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.cluster.Ownership;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one run of a schedule: a DataMover named after the time it was scheduled for (so a restart
 * or a second replica never creates it twice), owned by the schedule, labelled with it, carrying the
 * schedule's DataMover fields, with {@code path} defaulting to {@code <namespace>/<sourcePvc>}. A pure
 * function.
 */
public final class RunBuilder {
  public static final String COMPONENT = "run";
  public static final String TRIGGER_SCHEDULE = "schedule";
  public static final String TRIGGER_MANUAL = "manual";
  public static final String TRIGGER_CREATION = "creation";
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private RunBuilder() {}

  /** {@code <schedule>-<yyyyMMddHHmm>} of the scheduled time in UTC. */
  public static String scheduledName(String schedule, Instant scheduledTime) {
    return schedule + "-" + MINUTE.format(scheduledTime);
  }

  /** {@code <schedule>-manual-<generation>}: the spec generation that asked for the run. */
  public static String manualName(String schedule, long generation) {
    return schedule + "-manual-" + generation;
  }

  public static DataMover build(DataMoverSchedule schedule, String name, Instant scheduledTime, String trigger) {
    DataMoverScheduleSpec s = schedule.getSpec();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ScheduleRuns.ANNOTATION_SCHEDULED_TIME, scheduledTime.toString());
    annotations.put(ScheduleRuns.ANNOTATION_TRIGGER, trigger);
    return new DataMover()
        .metadata(Ownership.childMetadata(DataMoverApi.SCHEDULES, schedule, name, COMPONENT).annotations(annotations))
        .spec(spec(schedule));
  }

  /** The DataMover fields of the schedule, with the schedule's default path. */
  public static DataMoverSpec spec(DataMoverSchedule schedule) {
    DataMoverScheduleSpec s = schedule.getSpec();
    return new DataMoverSpec(
        s.sourcePvc(),
        s.secretName(),
        s.addTimestampPrefix(),
        s.deletePvcAfterBackup(),
        s.additionalEnv(),
        s.image(),
        s.runPath(schedule.namespace()),
        s.rcloneConfig(),
        s.customCA());
  }
}

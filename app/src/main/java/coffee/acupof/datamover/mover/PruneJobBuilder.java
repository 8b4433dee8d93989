package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.RetentionSpec;
import coffee.acupof.datamover.config.DataMoverProperties;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the retention Job of a schedule: the mover's {@code prune} operation for the schedule's
 * source ({@code MOVER_SOURCE}) at its path, with the policy as {@code MOVER_KEEP_*} and the calendar
 * buckets in the schedule's time zone, the same remote access (Secret, or rclone.conf and CA files) and
 * {@code additionalEnv} as its backups (an encrypted remote needs the same {@code ENCRYPTED_*} values),
 * and no data volume. A pure function.
 */
public final class PruneJobBuilder {
  public static final String COMPONENT = "prune";
  /** The newest point in time when the prune was started: what a successful prune has pruned after. */
  public static final String ANNOTATION_POINT = DataMoverApi.GROUP + "/pruned-through";

  private PruneJobBuilder() {}

  /**
   * @param jobName the Job's name (one per point and attempt, see the schedule's retention status)
   * @param latestPoint the newest complete point in time of the schedule when the prune starts
   * @param activeDeadline how long the prune may run
   */
  public static V1Job build(
      DataMoverSchedule owner, String jobName, String latestPoint, Duration activeDeadline, DataMoverProperties.Mover defaults) {
    DataMoverScheduleSpec spec = owner.getSpec();
    V1Job job =
        MoverJobs.build(
            new MoverJobRequest(
                DataMoverApi.SCHEDULES,
                owner,
                jobName,
                COMPONENT,
                Optional.empty(),
                MoverRemote.of(spec),
                env(owner),
                spec.image(),
                Optional.empty(),
                Optional.of(activeDeadline)),
            defaults);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ANNOTATION_POINT, latestPoint);
    job.getMetadata().annotations(annotations);
    return job;
  }

  static List<V1EnvVar> env(DataMoverSchedule owner) {
    DataMoverScheduleSpec spec = owner.getSpec();
    RetentionSpec retention = spec.retention();
    List<V1EnvVar> env = new ArrayList<>();
    env.add(var(MoverContract.ENV_OPERATION, MoverContract.OPERATION_PRUNE));
    env.add(var(MoverContract.ENV_ADD_TIMESTAMP_PREFIX, "true"));
    env.add(var(MoverContract.ENV_SOURCE, owner.namespace() + "/" + spec.sourcePvc()));
    String path = spec.runPath(owner.namespace());
    if (path != null && !path.isBlank()) {
      env.add(var(MoverContract.ENV_PATH, path));
    }
    count(env, MoverContract.ENV_KEEP_LAST, retention.keepLast());
    count(env, MoverContract.ENV_KEEP_HOURLY, retention.keepHourly());
    count(env, MoverContract.ENV_KEEP_DAILY, retention.keepDaily());
    count(env, MoverContract.ENV_KEEP_WEEKLY, retention.keepWeekly());
    count(env, MoverContract.ENV_KEEP_MONTHLY, retention.keepMonthly());
    count(env, MoverContract.ENV_KEEP_YEARLY, retention.keepYearly());
    if (retention.keepWithin() != null && !retention.keepWithin().isBlank()) {
      env.add(var(MoverContract.ENV_KEEP_WITHIN, retention.keepWithin()));
    }
    env.add(var(MoverContract.ENV_KEEP_TIMEZONE, spec.timeZoneOrDefault()));
    if (spec.additionalEnv() != null) {
      env.addAll(spec.additionalEnv());
    }
    return env;
  }

  private static void count(List<V1EnvVar> env, String name, Integer value) {
    if (value != null) {
      env.add(var(name, Integer.toString(value)));
    }
  }

  private static V1EnvVar var(String name, String value) {
    return new V1EnvVar().name(name).value(value);
  }
}

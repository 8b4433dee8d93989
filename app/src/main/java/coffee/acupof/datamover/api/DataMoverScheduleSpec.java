package coffee.acupof.datamover.api;

import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.List;

/**
 * When to back up and what: the Go DataMover Operator's schedule fields ({@code schedule},
 * {@code suspend}, the history limits) and the DataMover fields flat beside them, plus what a
 * CronJob user expects ({@code timeZone}, {@code startingDeadlineSeconds}, {@code concurrencyPolicy})
 * and what schedules of backups need ({@code retention}, {@code manualTrigger}, {@code runOnCreation}).
 * Absent fields mean their documented defaults.
 */
public record DataMoverScheduleSpec(
    String schedule,
    String timeZone,
    Boolean suspend,
    Long startingDeadlineSeconds,
    String concurrencyPolicy,
    Integer successfulJobsHistoryLimit,
    Integer failedJobsHistoryLimit,
    Boolean runOnCreation,
    String manualTrigger,
    RetentionSpec retention,
    String sourcePvc,
    String secretName,
    Boolean addTimestampPrefix,
    Boolean deletePvcAfterBackup,
    List<V1EnvVar> additionalEnv,
    ImageSpec image,
    String path,
    RcloneConfigSpec rcloneConfig,
    CustomCaSpec customCA)
    implements RemoteSpec {

  public static final String FORBID = "Forbid";
  public static final String ALLOW = "Allow";
  public static final String REPLACE = "Replace";

  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  public String concurrencyPolicyOrDefault() {
    return concurrencyPolicy == null ? FORBID : concurrencyPolicy;
  }

  public int successfulHistoryLimit() {
    return successfulJobsHistoryLimit == null ? 3 : successfulJobsHistoryLimit;
  }

  public int failedHistoryLimit() {
    return failedJobsHistoryLimit == null ? 1 : failedJobsHistoryLimit;
  }

  public String timeZoneOrDefault() {
    return timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
  }

  /** Whether {@code additionalEnv} sets MOVER_PATH, which then stands for {@code path}. */
  public boolean pathInEnvironment() {
    return additionalEnv != null && additionalEnv.stream().anyMatch(e -> "MOVER_PATH".equals(e.getName()));
  }

  /** The {@code path} of each run: the one given, else {@code <namespace>/<sourcePvc>} (none when MOVER_PATH is in the environment). */
  public String runPath(String namespace) {
    if (path != null) {
      return path;
    }
    return pathInEnvironment() ? null : namespace + "/" + sourcePvc;
  }
}

package coffee.acupof.datamover.api;

import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.List;

/**
 * What one restore brings back and where to. The backups are found as a DataMover wrote them: the
 * same Secret, the same {@code path}, the source PVC's name ({@code MOVER_SOURCE}) — or as the schedule
 * named by {@code scheduleName} wrote them. Without
 * {@code targetPvc} the restore is a volume populator: it fills the PVC whose {@code dataSourceRef}
 * names it, before that PVC binds.
 *
 * @param sourcePvc the PVC the backups were taken from, in this namespace
 * @param secretName the Secret with the remote's configuration (the forms a DataMover accepts), or
 *     null with {@code rcloneConfig}
 * @param path where the backups are inside the bucket or remote (a DataMover's {@code path})
 * @param pointInTime {@code latest} (the newest complete point), a point {@code YYYY-MM-DD-HHMMSS}, or
 *     {@code fixed} (a fixed-path backup)
 * @param targetPvc the PVC to fill; absent for a volume populator
 * @param targetPvcTemplate the spec to create {@code targetPvc} with when it does not exist
 * @param ownTargetPvc whether a target created from the template is deleted with the restore
 * @param overwrite write into a target that already holds files (restored files replace files of
 *     the same name, other files stay)
 * @param allowTargetInUse restore into a target that a running pod mounts
 * @param allowUnverifiedBackup restore a named folder that has no completion marker (backups of the
 *     Go operator); its completeness cannot be checked
 * @param additionalEnv extra mover environment, after the operator's own
 * @param image the mover image
 * @param scheduleName restore the backups of this DataMoverSchedule (its source, Secret, path and
 *     extra environment) instead of naming {@code sourcePvc} and {@code secretName}
 * @param rcloneConfig an rclone.conf Secret and section instead of {@code secretName} (VolSync style)
 * @param customCA the CA bundle to trust for the remote's TLS endpoint
 */
public record DataMoverRestoreSpec(
    String sourcePvc,
    String secretName,
    String path,
    String pointInTime,
    String targetPvc,
    PvcTemplate targetPvcTemplate,
    Boolean ownTargetPvc,
    Boolean overwrite,
    Boolean allowTargetInUse,
    Boolean allowUnverifiedBackup,
    List<V1EnvVar> additionalEnv,
    ImageSpec image,
    String scheduleName,
    RcloneConfigSpec rcloneConfig,
    CustomCaSpec customCA)
    implements RemoteSpec {

  public static final String LATEST = "latest";
  public static final String FIXED = "fixed";

  /** {@code latest} when not given. */
  public String pointInTimeOrLatest() {
    return pointInTime == null || pointInTime.isBlank() ? LATEST : pointInTime;
  }

  /** Whether this restore fills the PVC that names it in {@code dataSourceRef}. */
  public boolean isPopulator() {
    return targetPvc == null || targetPvc.isBlank();
  }

  public List<V1EnvVar> additionalEnvOrEmpty() {
    return additionalEnv == null ? List.of() : additionalEnv;
  }
}

package coffee.acupof.datamover.api;

import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.List;

/**
 * What one DataMover run copies and where. Field names are the Go DataMover Operator's; every field
 * is optional except {@code sourcePvc} and {@code secretName}, and an absent field means the old
 * behaviour. {@code path} is new: the sub-path inside the bucket (or the remote path) of this
 * volume's backups ({@code MOVER_PATH}). {@code rcloneConfig} (an rclone.conf Secret, VolSync style)
 * may stand for {@code secretName}, and {@code customCA} adds a CA bundle to either.
 */
public record DataMoverSpec(
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

  public boolean timestampPrefix() {
    return Boolean.TRUE.equals(addTimestampPrefix);
  }

  public boolean deleteCloneAfterBackup() {
    return Boolean.TRUE.equals(deletePvcAfterBackup);
  }

  public List<V1EnvVar> additionalEnvOrEmpty() {
    return additionalEnv == null ? List.of() : additionalEnv;
  }

  /**
   * Where in the remote this run writes, as the mover will see it: {@code additionalEnv}'s
   * {@code MOVER_PATH} when it sets one by value, else {@code path}; normalised (no leading,
   * trailing or repeated slashes), empty for the bucket root.
   */
  public String effectivePath() {
    String value =
        additionalEnvOrEmpty().stream()
            .filter(e -> "MOVER_PATH".equals(e.getName()) && e.getValue() != null)
            .map(V1EnvVar::getValue)
            .reduce((a, b) -> b)
            .orElse(path == null ? "" : path);
    return String.join("/", java.util.Arrays.stream(value.split("/")).filter(s -> !s.isEmpty()).toList());
  }
}

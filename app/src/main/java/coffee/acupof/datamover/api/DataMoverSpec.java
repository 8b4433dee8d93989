package coffee.acupof.datamover.api;

import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.List;

/**
 * What one DataMover run copies and where. Field names are the Go DataMover Operator's; every field
 * is optional except {@code sourcePvc} and {@code secretName}, and an absent field means the old
 * behaviour.
 */
public record DataMoverSpec(
    String sourcePvc,
    String secretName,
    Boolean addTimestampPrefix,
    Boolean deletePvcAfterBackup,
    List<V1EnvVar> additionalEnv,
    ImageSpec image) {

  public boolean timestampPrefix() {
    return Boolean.TRUE.equals(addTimestampPrefix);
  }

  public boolean deleteCloneAfterBackup() {
    return Boolean.TRUE.equals(deletePvcAfterBackup);
  }

  public List<V1EnvVar> additionalEnvOrEmpty() {
    return additionalEnv == null ? List.of() : additionalEnv;
  }
}

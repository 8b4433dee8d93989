package coffee.acupof.datamover.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The fields every kind shares that say how the mover reaches the remote: either {@code secretName}
 * (a Secret whose keys become the mover's environment: the S3 keys or {@code REMOTE_*}) or
 * {@code rcloneConfig} (an rclone.conf Secret and a section), and optionally {@code customCA}. The CRDs
 * allow exactly one of the first two.
 */
public interface RemoteSpec {
  String secretName();

  RcloneConfigSpec rcloneConfig();

  CustomCaSpec customCA();

  /** Whether the remote is configured by an rclone.conf Secret (else by the Secret's keys). */
  default boolean usesRcloneConfig() {
    return rcloneConfig() != null;
  }

  /** The Secret that configures the remote: {@code secretName}, or the rclone.conf Secret. */
  default String configSecretName() {
    return usesRcloneConfig() ? rcloneConfig().secretName() : secretName();
  }

  /**
   * Every Secret the mover reads, as {@code <namespace>/<name>} (the key of the informer indexes that
   * wake an object when one of them changes): the configuring one and the CA's, when it is in a Secret.
   */
  default List<String> secretKeys(String namespace) {
    Stream<String> ca = customCA() != null && customCA().inSecret() ? Stream.of(customCA().secretName()) : Stream.empty();
    return Stream.concat(Stream.of(configSecretName()), ca).filter(Objects::nonNull).distinct().map(name -> namespace + "/" + name).toList();
  }
}

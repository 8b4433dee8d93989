package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.runtime.ResourceKind;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1EnvVar;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one mover Job runs: for which object (owner reference and labels), under which name, on which
 * claim (mounted at {@code /data}; none for an operation that reads no volume, e.g. prune), how it
 * reaches the remote ({@link MoverRemote}: a Secret as environment, or mounted rclone.conf and CA
 * files), with which environment, which image ({@code null} for the operator's default), optionally
 * on which node, and how long it may run (the operator's default when empty).
 */
public record MoverJobRequest(
    ResourceKind<?, ?> ownerKind,
    KubernetesObject owner,
    String jobName,
    String component,
    Optional<String> claimName,
    MoverRemote remote,
    List<V1EnvVar> env,
    ImageSpec image,
    Optional<String> nodeName,
    Optional<Duration> activeDeadline) {

  public MoverJobRequest {
    env = List.copyOf(env);
  }

  /** A Job on {@code claimName}, on any node, with the operator's deadline. */
  public static MoverJobRequest onClaim(
      ResourceKind<?, ?> ownerKind, KubernetesObject owner, String jobName, String component, String claimName, MoverRemote remote,
      List<V1EnvVar> env, ImageSpec image) {
    return new MoverJobRequest(
        ownerKind, owner, jobName, component, Optional.of(claimName), remote, env, image, Optional.empty(), Optional.empty());
  }
}

package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.runtime.ResourceKind;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.List;
import java.util.Optional;

/**
 * What one mover Job runs: for which object (owner reference and labels), under which name, on which
 * claim (mounted at {@code /data}), with which Secret and environment, which image ({@code null} for
 * the operator's default), and optionally on which node.
 */
public record MoverJobRequest(
    ResourceKind<?, ?> ownerKind,
    KubernetesObject owner,
    String jobName,
    String component,
    String claimName,
    String secretName,
    List<V1EnvVar> env,
    ImageSpec image,
    Optional<String> nodeName) {

  public MoverJobRequest {
    env = List.copyOf(env);
  }
}

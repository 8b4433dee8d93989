package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.runtime.phase.MissingInputs.Problem;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Secret;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the Secret a run names can configure the mover's remote: it exists and, with the
 * environment the run adds, has the keys of one of the contract's forms. Only key names are read.
 */
public final class RemoteSecret {
  private RemoteSecret() {}

  public static Optional<Problem> check(ClusterView cluster, String namespace, String secretName, List<V1EnvVar> additionalEnv) {
    Optional<V1Secret> secret = cluster.secret(namespace, secretName);
    if (secret.isEmpty()) {
      return Optional.of(new Problem("SecretNotFound", "Secret " + secretName + " not found in namespace " + namespace));
    }
    List<String> missing = missingKeys(secret.get(), additionalEnv);
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            "SecretKeysMissing",
            "Secret " + secretName + " lacks key(s) " + String.join(", ", missing)
                + " (or set " + MoverContract.REMOTE_TYPE_KEY + " and REMOTE_* keys for another remote type)"));
  }

  /**
   * Keys of the old operator's S3 form that neither the Secret nor {@code additionalEnv} provides.
   * A Secret with REMOTE_TYPE configures another kind of remote and needs none of them.
   */
  static List<String> missingKeys(V1Secret secret, List<V1EnvVar> additionalEnv) {
    Set<String> present = new HashSet<>();
    if (secret.getData() != null) {
      present.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      present.addAll(secret.getStringData().keySet());
    }
    additionalEnv.forEach(e -> present.add(e.getName()));
    if (present.contains(MoverContract.REMOTE_TYPE_KEY)) {
      return List.of();
    }
    return MoverContract.S3_REQUIRED_KEYS.stream().filter(k -> !present.contains(k)).toList();
  }
}

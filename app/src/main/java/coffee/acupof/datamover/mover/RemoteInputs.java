package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.api.RemoteSpec;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.runtime.phase.MissingInputs.Problem;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether what a run names can configure the mover's remote: the Secret of its keys has the keys of
 * one of the contract's forms (with the environment the run adds), or the rclone.conf Secret has the
 * named key; and a custom CA's Secret or ConfigMap has its key. Only key names are read: the operator
 * never holds a value. Which sections an rclone.conf defines cannot be known without reading it, so the
 * section is the mover's to check (it fails with exit 2 and lists the sections the file defines).
 */
public final class RemoteInputs {
  /**
   * How often a run waiting for a ConfigMap looks again: ConfigMaps are read when needed, not watched,
   * so creating one does not wake the run.
   */
  static final Duration CONFIG_MAP_RECHECK = Duration.ofSeconds(30);

  private RemoteInputs() {}

  /** What is missing, each with what to fix; empty when the mover has what it needs. */
  public static List<Problem> check(ClusterView cluster, String namespace, RemoteSpec spec, List<V1EnvVar> additionalEnv) {
    List<Problem> problems = new ArrayList<>();
    if (spec.usesRcloneConfig()) {
      RcloneConfigSpec config = spec.rcloneConfig();
      secretKey(cluster, namespace, config.secretName(), config.keyOrDefault(), "rcloneConfig").ifPresent(problems::add);
    } else {
      keysSecret(cluster, namespace, spec.secretName(), additionalEnv).ifPresent(problems::add);
    }
    CustomCaSpec ca = spec.customCA();
    if (ca != null) {
      (ca.inSecret()
              ? secretKey(cluster, namespace, ca.secretName(), ca.keyOrDefault(), "customCA")
              : configMapKey(cluster, namespace, ca.configMapName(), ca.keyOrDefault()))
          .ifPresent(problems::add);
    }
    return problems;
  }

  /** The inputs in words, for the message of a run that found them, e.g. {@code rclone.conf Secret r and CA ConfigMap c}. */
  public static String describe(RemoteSpec spec) {
    String remote = spec.usesRcloneConfig() ? "rclone.conf Secret " + spec.rcloneConfig().secretName() : "Secret " + spec.secretName();
    CustomCaSpec ca = spec.customCA();
    if (ca == null) {
      return remote;
    }
    return remote + " and CA " + (ca.inSecret() ? "Secret " + ca.secretName() : "ConfigMap " + ca.configMapName());
  }

  private static Optional<Problem> keysSecret(ClusterView cluster, String namespace, String secretName, List<V1EnvVar> additionalEnv) {
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

  /** The Secret exists and has {@code key}; {@code field} names the spec field, for the message. */
  private static Optional<Problem> secretKey(ClusterView cluster, String namespace, String secretName, String key, String field) {
    Optional<V1Secret> secret = cluster.secret(namespace, secretName);
    if (secret.isEmpty()) {
      return Optional.of(new Problem("SecretNotFound", "Secret " + secretName + " (" + field + ") not found in namespace " + namespace));
    }
    Set<String> keys = keysOf(secret.get());
    if (keys.contains(key)) {
      return Optional.empty();
    }
    return Optional.of(new Problem("SecretKeysMissing", "Secret " + secretName + " lacks key " + key + " (" + field + ".key)" + holding(keys)));
  }

  private static Optional<Problem> configMapKey(ClusterView cluster, String namespace, String name, String key) {
    Optional<Set<String>> keys = cluster.configMapKeys(namespace, name);
    if (keys.isEmpty()) {
      return Optional.of(new Problem("ConfigMapNotFound", "ConfigMap " + name + " (customCA) not found in namespace " + namespace, Optional.of(CONFIG_MAP_RECHECK)));
    }
    if (keys.get().contains(key)) {
      return Optional.empty();
    }
    return Optional.of(new Problem(
        "ConfigMapKeyMissing", "ConfigMap " + name + " lacks key " + key + " (customCA.key)" + holding(keys.get()), Optional.of(CONFIG_MAP_RECHECK)));
  }

  private static String holding(Set<String> keys) {
    return keys.isEmpty() ? "; it has no keys" : "; it has " + String.join(", ", new TreeSet<>(keys));
  }

  private static Set<String> keysOf(V1Secret secret) {
    Set<String> keys = new HashSet<>();
    if (secret.getData() != null) {
      keys.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      keys.addAll(secret.getStringData().keySet());
    }
    return keys;
  }

  /**
   * Keys of the old operator's S3 form that neither the Secret nor {@code additionalEnv} provides.
   * A Secret with REMOTE_TYPE configures another kind of remote and needs none of them.
   */
  private static List<String> missingKeys(V1Secret secret, List<V1EnvVar> additionalEnv) {
    Set<String> present = keysOf(secret);
    additionalEnv.forEach(e -> present.add(e.getName()));
    if (present.contains(MoverContract.REMOTE_TYPE_KEY)) {
      return List.of();
    }
    return MoverContract.S3_REQUIRED_KEYS.stream().filter(k -> !present.contains(k)).toList();
  }
}

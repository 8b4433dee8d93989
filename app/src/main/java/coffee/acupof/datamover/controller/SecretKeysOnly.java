package coffee.acupof.datamover.controller;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The informer transform that keeps Secret values out of the operator's memory: each value becomes
 * empty, only the key names stay; {@code stringData} and every annotation (kubectl's last-applied
 * copy holds the values, and others may) are dropped. Managed fields go with what every kind loses
 * ({@link coffee.acupof.datamover.runtime.CacheTrim}, applied first).
 */
final class SecretKeysOnly {
  private static final byte[] EMPTY = new byte[0];

  private SecretKeysOnly() {}

  static KubernetesObject transform(KubernetesObject object) {
    if (!(object instanceof V1Secret secret)) {
      return object;
    }
    if (secret.getData() != null) {
      Map<String, byte[]> keys = new LinkedHashMap<>();
      secret.getData().keySet().forEach(k -> keys.put(k, EMPTY));
      secret.setData(keys);
    }
    secret.setStringData(null);
    if (secret.getMetadata() != null) {
      secret.getMetadata().setAnnotations(null);
    }
    return secret;
  }
}

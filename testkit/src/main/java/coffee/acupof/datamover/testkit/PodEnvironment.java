package coffee.acupof.datamover.testkit;

import coffee.acupof.datamover.testkit.node.ContainerRuntime.ContainerConfigException;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1Secret;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment the way the kubelet does: {@code envFrom} (Secrets and
 * ConfigMaps, with prefix) first, then {@code env} in order, where a later entry overrides an
 * earlier one, {@code $(VAR)} refers to a variable defined before, and {@code valueFrom} reads
 * Secrets, ConfigMaps, the pod's fields and its resources from the API server.
 */
final class PodEnvironment {
  private static final Pattern VALID_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([-._a-zA-Z][-._a-zA-Z0-9]*)\\)|\\$\\$");

  private final CoreV1Api core;

  PodEnvironment(CoreV1Api core) {
    this.core = core;
  }

  Map<String, String> resolve(V1Pod pod, V1Container container) throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null) {
      for (V1EnvFromSource source : container.getEnvFrom()) {
        String prefix = source.getPrefix() == null ? "" : source.getPrefix();
        Map<String, String> values = new LinkedHashMap<>();
        if (source.getSecretRef() != null) {
          Optional<V1Secret> secret = secret(namespace, source.getSecretRef().getName());
          if (secret.isEmpty()) {
            if (Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
              continue;
            }
            throw new ContainerConfigException("secret \"" + source.getSecretRef().getName() + "\" not found");
          }
          values.putAll(decode(secret.get()));
        } else if (source.getConfigMapRef() != null) {
          Optional<V1ConfigMap> map = configMap(namespace, source.getConfigMapRef().getName());
          if (map.isEmpty()) {
            if (Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
              continue;
            }
            throw new ContainerConfigException("configmap \"" + source.getConfigMapRef().getName() + "\" not found");
          }
          if (map.get().getData() != null) {
            values.putAll(map.get().getData());
          }
        }
        values.forEach((key, value) -> {
          if (VALID_NAME.matcher(prefix + key).matches()) {
            env.put(prefix + key, value);
          }
        });
      }
    }
    if (container.getEnv() != null) {
      for (V1EnvVar var : container.getEnv()) {
        if (var.getValueFrom() == null) {
          env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
        } else {
          Optional<String> value = valueFrom(pod, container, var.getValueFrom());
          if (value.isPresent()) {
            env.put(var.getName(), value.get());
          }
        }
      }
    }
    return env;
  }

  private Optional<String> valueFrom(V1Pod pod, V1Container container, V1EnvVarSource source) throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      Optional<String> value = secret(namespace, ref.getName()).map(PodEnvironment::decode).map(m -> m.get(ref.getKey()));
      if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
      }
      return value;
    }
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      Optional<String> value = configMap(namespace, ref.getName()).map(V1ConfigMap::getData).map(m -> m.get(ref.getKey()));
      if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
      }
      return value;
    }
    if (source.getFieldRef() != null) {
      return Optional.of(field(pod, source.getFieldRef()));
    }
    if (source.getResourceFieldRef() != null) {
      return Optional.of(resource(container, source.getResourceFieldRef()));
    }
    return Optional.empty();
  }

  private static String field(V1Pod pod, V1ObjectFieldSelector selector) throws ContainerConfigException {
    String path = selector.getFieldPath();
    Matcher label = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
    if (label.matches()) {
      Map<String, String> map = "labels".equals(label.group(1)) ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
      return map == null ? "" : map.getOrDefault(label.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
      case "status.hostIP", "status.podIP" -> "127.0.0.1";
      default -> throw new ContainerConfigException("unsupported fieldRef " + path);
    };
  }

  private static String resource(V1Container container, V1ResourceFieldSelector selector) {
    String[] parts = selector.getResource().split("\\.", 2);
    Map<String, Quantity> values =
        container.getResources() == null
            ? Map.of()
            : "limits".equals(parts[0]) ? container.getResources().getLimits() : container.getResources().getRequests();
    Quantity quantity = values == null ? null : values.get(parts[1]);
    if (quantity == null) {
      return "0";
    }
    BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : selector.getDivisor().getNumber();
    return quantity.getNumber().divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  /** Expands {@code $(VAR)} with variables defined so far; unknown references stay as written. */
  static String expand(String value, Map<String, String> defined) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(1) == null ? "$" : defined.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Optional<V1Secret> secret(String namespace, String name) throws ContainerConfigException {
    try {
      return Optional.of(core.readNamespacedSecret(name, namespace).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw new ContainerConfigException("cannot read Secret " + namespace + "/" + name + ": HTTP " + e.getCode());
    }
  }

  private Optional<V1ConfigMap> configMap(String namespace, String name) throws ContainerConfigException {
    try {
      return Optional.of(core.readNamespacedConfigMap(name, namespace).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw new ContainerConfigException("cannot read ConfigMap " + namespace + "/" + name + ": HTTP " + e.getCode());
    }
  }

  private static Map<String, String> decode(V1Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, new String(v, StandardCharsets.UTF_8)));
    }
    return values;
  }
}

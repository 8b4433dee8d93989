package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.GenericKubernetesApi;

/**
 * Coordinates of one API type, built-in or custom: what {@link Informers}, {@link StatusWriter},
 * {@link EventRecorder} and owner references need to talk about it. The group is empty for the core
 * API ({@code v1} pods, PVCs, Secrets).
 */
public record ResourceKind<T extends KubernetesObject, L extends KubernetesListObject>(
    String group, String version, String plural, String kind, Class<T> type, Class<L> listType, boolean namespaced) {

  /** A namespaced kind. */
  public ResourceKind(String group, String version, String plural, String kind, Class<T> type, Class<L> listType) {
    this(group, version, plural, kind, type, listType, true);
  }

  /** {@code group/version}, or just the version for the core API. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** A typed client for this kind through the given API client. */
  public GenericKubernetesApi<T, L> api(ApiClient client) {
    return new GenericKubernetesApi<>(type, listType, group, version, plural, client);
  }

  /** Whether an owner reference's apiVersion and kind name this kind (any version of its group). */
  public boolean matches(String refApiVersion, String refKind) {
    if (!kind.equals(refKind) || refApiVersion == null) {
      return false;
    }
    return group.isEmpty() ? refApiVersion.equals(version) : refApiVersion.startsWith(group + "/");
  }

  @Override
  public String toString() {
    return kind;
  }
}

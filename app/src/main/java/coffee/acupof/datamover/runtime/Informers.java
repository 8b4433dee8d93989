package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the operator's informers, for built-in and custom types alike, from a {@link ResourceKind}:
 * scoped to the watched namespace (or all), optionally to a label selector, optionally with a
 * transform applied before objects enter the cache. Every informer built here is registered by its
 * plural name, so readiness covers all of them.
 */
public class Informers {
  private final SharedInformerFactory factory;
  private final ApiClient watchClient;
  private final String namespace;
  private final Map<String, SharedIndexInformer<?>> registered = Collections.synchronizedMap(new LinkedHashMap<>());

  /**
   * @param namespace the one namespace to watch, or empty for all namespaces
   */
  public Informers(SharedInformerFactory factory, ApiClient watchClient, String namespace) {
    this.factory = factory;
    this.watchClient = watchClient;
    this.namespace = namespace;
  }

  public <T extends KubernetesObject, L extends KubernetesListObject> SharedIndexInformer<T> informer(ResourceKind<T, L> kind) {
    return informer(kind, null, null);
  }

  /**
   * @param labelSelector only objects with these labels, or null for all
   * @param transform applied to each object before it is cached, or null
   */
  public <T extends KubernetesObject, L extends KubernetesListObject> SharedIndexInformer<T> informer(
      ResourceKind<T, L> kind, String labelSelector, TransformFunc transform) {
    GenericKubernetesApi<T, L> api = kind.api(watchClient);
    ListerWatcher<T, L> listerWatcher =
        new ListerWatcher<>() {
          @Override
          public L list(CallGeneratorParams params) throws ApiException {
            ListOptions options = options(params);
            return (allNamespaces(kind) ? api.list(options) : api.list(namespace, options)).throwsApiException().getObject();
          }

          @Override
          public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
            ListOptions options = options(params);
            return allNamespaces(kind) ? api.watch(options) : api.watch(namespace, options);
          }

          private ListOptions options(CallGeneratorParams params) {
            return new ListOptions()
                .labelSelector(labelSelector)
                .resourceVersion(params.resourceVersion)
                .timeoutSeconds(params.timeoutSeconds);
          }
        };
    SharedIndexInformer<T> informer = factory.sharedIndexInformerFor(listerWatcher, kind.type(), 0);
    if (transform != null) {
      informer.setTransform(transform);
    }
    registered.put(kind.plural(), informer);
    return informer;
  }

  /** Cluster-scoped kinds, and every kind when no single namespace is watched, are listed across namespaces. */
  private boolean allNamespaces(ResourceKind<?, ?> kind) {
    return namespace.isBlank() || !kind.namespaced();
  }

  /** Every informer built so far, by plural name (for readiness). */
  public Map<String, SharedIndexInformer<?>> all() {
    synchronized (registered) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(registered));
    }
  }

  public void startAll() {
    factory.startAllRegisteredInformers();
  }

  public void stopAll() {
    factory.stopAllRegisteredInformers();
  }
}

package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the operator's informers, for built-in and custom types alike, from a {@link ResourceKind}:
 * scoped to the watched namespace (or all), optionally to a label selector, with what no kind needs
 * trimmed before objects enter the cache ({@link CacheTrim}) and optionally a kind's own transform.
 * Every informer built here is registered by its plural name, so readiness covers all of them.
 *
 * <p>Kinds of other projects whose CRDs may be absent (VolumeSnapshots) get an {@link OptionalInformer}
 * ({@link #whenInstalled}): a watch on CustomResourceDefinitions builds and starts their informer when
 * the CRD is established, at start-up or later, and only from then on does readiness wait for it.
 */
public class Informers {
  private static final Logger log = LoggerFactory.getLogger(Informers.class);

  private final SharedInformerFactory factory;
  private final ApiClient watchClient;
  private final String namespace;
  private final Map<String, SharedIndexInformer<?>> registered = Collections.synchronizedMap(new LinkedHashMap<>());
  /** Optional informers by the name of the CRD that serves their kind. */
  private final Map<String, OptionalInformer<?>> optional = new ConcurrentHashMap<>();
  private SharedIndexInformer<V1CustomResourceDefinition> crds;
  private volatile boolean started;

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
   * @param transform applied to each object before it is cached, after {@link CacheTrim#metadata}, or null
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
    informer.setTransform(CacheTrim.andThen(transform));
    registered.put(kind.plural(), informer);
    return informer;
  }

  /**
   * The informer of {@code kind}, built and started once the CRD that serves it is established (its
   * version served). The CustomResourceDefinitions are watched for that (names and conditions only are
   * cached, see {@link CustomResourceDefinitions#summary}).
   */
  public synchronized <T extends KubernetesObject, L extends KubernetesListObject> OptionalInformer<T> whenInstalled(ResourceKind<T, L> kind) {
    OptionalInformer<T> handle = new OptionalInformer<>(kind, () -> informer(kind));
    optional.put(kind.crdName(), handle);
    if (crds == null) {
      crds = informer(CoreKinds.CRDS, null, CustomResourceDefinitions::summary);
      crds.addEventHandler(new ResourceEventHandler<>() {
        @Override
        public void onAdd(V1CustomResourceDefinition crd) {
          changed(crd);
        }

        @Override
        public void onUpdate(V1CustomResourceDefinition before, V1CustomResourceDefinition after) {
          changed(after);
        }

        @Override
        public void onDelete(V1CustomResourceDefinition crd, boolean unknown) {}
      });
    }
    return handle;
  }

  private void changed(V1CustomResourceDefinition crd) {
    OptionalInformer<?> handle = optional.get(crd.getMetadata().getName());
    if (handle == null || !CustomResourceDefinitions.serves(crd, handle.kind().version())) {
      return;
    }
    if (handle.install()) {
      log.info("CRD {} is established: starting the informer of {}", crd.getMetadata().getName(), handle.kind());
      if (started) {
        factory.startAllRegisteredInformers();
      }
      handle.started();
    }
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
    started = true;
    factory.startAllRegisteredInformers();
  }

  public void stopAll() {
    started = false;
    factory.stopAllRegisteredInformers();
  }
}

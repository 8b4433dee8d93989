package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesObject;

/**
 * A custom resource this operator reconciles: an object with a typed status. The status is never
 * null; a new object has its kind's empty status.
 */
public interface ManagedResource<S> extends KubernetesObject {
  S getStatus();

  default String namespace() {
    return getMetadata().getNamespace();
  }

  default String name() {
    return getMetadata().getName();
  }

  /** {@code namespace/name}, the key used in logs and in the work queue. */
  default String key() {
    return namespace() + "/" + name();
  }

  default long generation() {
    return getMetadata().getGeneration() == null ? 0L : getMetadata().getGeneration();
  }
}

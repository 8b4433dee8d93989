package coffee.acupof.datamover.runtime;

import java.time.OffsetDateTime;

/**
 * The kind-specific part of a reconcile: from one object as the cache holds it to the {@link Step}
 * it should take. Implementations read the cluster through caches, may create or delete children
 * (idempotently, under deterministic names) and never write status themselves: the
 * {@link KindReconciler} writes the step's status, then records its Events and metrics.
 *
 * <p>A failed API call is thrown as a {@link coffee.acupof.datamover.cluster.ClusterException} and
 * retried with back-off.
 */
public interface KindLogic<T extends ManagedResource<S>, S> {
  Step<S> reconcile(T object, OffsetDateTime now);

  /** The object is gone from the cache: drop whatever is kept about it (metric series). */
  default void forget(String namespace, String name) {}
}

package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.WorkQueue;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns informer events into work-queue keys of DataMovers: a DataMover maps to itself, an owned
 * PVC, Job or Pod to its owner, and a source PVC or a Secret to every DataMover that names it
 * (found through indexes on the DataMover informer).
 */
public final class WorkQueueFeeder {
  public static final String INDEX_BY_SOURCE_PVC = "bySourcePvc";
  public static final String INDEX_BY_SECRET = "bySecret";

  private WorkQueueFeeder() {}

  /** Indexes to add to the DataMover informer before it starts. */
  public static Map<String, Function<DataMover, List<String>>> indexers() {
    return Map.of(
        INDEX_BY_SOURCE_PVC, dm -> dm.getSpec() == null ? List.of() : List.of(dm.namespace() + "/" + dm.getSpec().sourcePvc()),
        INDEX_BY_SECRET, dm -> dm.getSpec() == null ? List.of() : List.of(dm.namespace() + "/" + dm.getSpec().secretName()));
  }

  public static void watchDataMovers(SharedIndexInformer<DataMover> informer, WorkQueue<Request> queue) {
    informer.addEventHandler(enqueue(queue, dm -> List.of(new Request(dm.namespace(), dm.name()))));
  }

  /** Owned objects (clone PVCs, Jobs, Pods) wake their owner. */
  public static <T extends KubernetesObject> void watchOwned(SharedIndexInformer<T> informer, WorkQueue<Request> queue) {
    informer.addEventHandler(enqueue(queue, WorkQueueFeeder::owners));
  }

  /** Objects DataMovers refer to by name (source PVCs, Secrets) wake those DataMovers. */
  public static <T extends KubernetesObject> void watchReferenced(
      SharedIndexInformer<T> informer, SharedIndexInformer<DataMover> dataMovers, String index, WorkQueue<Request> queue) {
    informer.addEventHandler(
        enqueue(
            queue,
            obj -> {
              V1ObjectMeta meta = obj.getMetadata();
              List<Request> requests = new java.util.ArrayList<>(owners(obj));
              dataMovers.getIndexer().byIndex(index, meta.getNamespace() + "/" + meta.getName())
                  .forEach(dm -> requests.add(new Request(dm.namespace(), dm.name())));
              return requests;
            }));
  }

  /**
   * The DataMovers an object belongs to: its DataMover owner references, or, for mover pods (owned
   * by their Job), the owner label the Job's template gives them.
   */
  static List<Request> owners(KubernetesObject obj) {
    V1ObjectMeta meta = obj.getMetadata();
    List<Request> owners = new java.util.ArrayList<>();
    if (meta.getOwnerReferences() != null) {
      meta.getOwnerReferences().stream()
          .filter(ref -> DataMoverApi.KIND.equals(ref.getKind()) && ref.getApiVersion() != null && ref.getApiVersion().startsWith(DataMoverApi.GROUP + "/"))
          .map(V1OwnerReference::getName)
          .forEach(name -> owners.add(new Request(meta.getNamespace(), name)));
    }
    if (owners.isEmpty() && meta.getLabels() != null && meta.getLabels().containsKey(DataMoverApi.LABEL_OWNER)) {
      owners.add(new Request(meta.getNamespace(), meta.getLabels().get(DataMoverApi.LABEL_OWNER)));
    }
    return owners;
  }

  private static <T extends KubernetesObject> ResourceEventHandler<T> enqueue(WorkQueue<Request> queue, Function<T, List<Request>> keys) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        keys.apply(obj).forEach(queue::add);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        keys.apply(newObj).forEach(queue::add);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        keys.apply(obj).forEach(queue::add);
      }
    };
  }
}

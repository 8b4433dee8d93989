package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.WorkQueue;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns informer events into work-queue keys of one kind: its own objects map to themselves, objects
 * it owns to their owner (by owner reference, or by the owner label for grand-children such as a
 * Job's pods), and objects it refers to by name (a source PVC, a Secret) to every object that names
 * them, through an index on the kind's informer.
 */
public final class QueueFeeder {
  private final ResourceKind<?, ?> kind;
  private final String ownerLabel;
  private final WorkQueue<Request> queue;

  /**
   * @param ownerLabel the label the kind's children carry with the owner's name (for objects owned
   *     indirectly, e.g. pods of its Jobs)
   */
  public QueueFeeder(ResourceKind<?, ?> kind, String ownerLabel, WorkQueue<Request> queue) {
    this.kind = kind;
    this.ownerLabel = ownerLabel;
    this.queue = queue;
  }

  /** Every change of an object of the kind wakes it. */
  public <T extends KubernetesObject> void watchSelf(SharedIndexInformer<T> informer) {
    informer.addEventHandler(enqueue(obj -> List.of(request(obj.getMetadata()))));
  }

  /** Objects the kind created wake their owner. */
  public <T extends KubernetesObject> void watchOwned(SharedIndexInformer<T> informer) {
    informer.addEventHandler(enqueue(this::owners));
  }

  /**
   * Objects the kind refers to by name wake the objects naming them: {@code index} on
   * {@code primary} maps {@code namespace/name} of the referenced object to the referring objects.
   */
  public <T extends KubernetesObject, P extends KubernetesObject> void watchReferenced(
      SharedIndexInformer<T> informer, SharedIndexInformer<P> primary, String index) {
    informer.addEventHandler(
        enqueue(
            obj -> {
              V1ObjectMeta meta = obj.getMetadata();
              List<Request> requests = new ArrayList<>(owners(obj));
              primary.getIndexer().byIndex(index, meta.getNamespace() + "/" + meta.getName())
                  .forEach(p -> requests.add(request(p.getMetadata())));
              return requests;
            }));
  }

  /** Any other mapping from an object to the objects of this kind it concerns. */
  public <T extends KubernetesObject> void watch(SharedIndexInformer<T> informer, Function<T, List<Request>> keys) {
    informer.addEventHandler(enqueue(keys));
  }

  /** The objects of this kind that own {@code obj}: by owner reference, else by the owner label. */
  public List<Request> owners(KubernetesObject obj) {
    V1ObjectMeta meta = obj.getMetadata();
    List<Request> owners = new ArrayList<>();
    if (meta.getOwnerReferences() != null) {
      meta.getOwnerReferences().stream()
          .filter(ref -> kind.matches(ref.getApiVersion(), ref.getKind()))
          .forEach(ref -> owners.add(new Request(meta.getNamespace(), ref.getName())));
    }
    if (owners.isEmpty() && meta.getLabels() != null && meta.getLabels().containsKey(ownerLabel)) {
      owners.add(new Request(meta.getNamespace(), meta.getLabels().get(ownerLabel)));
    }
    return owners;
  }

  private static Request request(V1ObjectMeta meta) {
    return new Request(meta.getNamespace(), meta.getName());
  }

  private <T extends KubernetesObject> ResourceEventHandler<T> enqueue(Function<T, List<Request>> keys) {
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

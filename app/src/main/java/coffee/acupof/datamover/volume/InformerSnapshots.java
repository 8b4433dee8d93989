package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.cluster.ApiClusterOperations;
import coffee.acupof.datamover.runtime.OptionalInformer;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link Snapshots} over the optional informers of VolumeSnapshots and VolumeSnapshotClasses and the API. */
public class InformerSnapshots implements Snapshots {
  private final OptionalInformer<VolumeSnapshot> snapshots;
  private final OptionalInformer<VolumeSnapshotClass> classes;
  private final GenericKubernetesApi<VolumeSnapshot, VolumeSnapshotList> api;

  public InformerSnapshots(
      OptionalInformer<VolumeSnapshot> snapshots, OptionalInformer<VolumeSnapshotClass> classes, GenericKubernetesApi<VolumeSnapshot, VolumeSnapshotList> api) {
    this.snapshots = snapshots;
    this.classes = classes;
    this.api = api;
  }

  @Override
  public OptionalInformer.State state() {
    OptionalInformer.State a = snapshots.state();
    OptionalInformer.State b = classes.state();
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public Optional<VolumeSnapshot> snapshot(String namespace, String name) {
    return snapshots.informer().map(i -> new Lister<>(i.getIndexer()).namespace(namespace).get(name));
  }

  @Override
  public List<VolumeSnapshot> labelled(String namespace, String label, String value) {
    return snapshots.informer().map(i -> new Lister<>(i.getIndexer()).namespace(namespace).list()).orElse(List.of()).stream()
        .filter(s -> s.getMetadata().getLabels() != null && Objects.equals(value, s.getMetadata().getLabels().get(label)))
        .toList();
  }

  @Override
  public Optional<VolumeSnapshotClass> snapshotClass(String name) {
    return classes.informer().map(i -> new Lister<>(i.getIndexer()).get(name));
  }

  @Override
  public List<VolumeSnapshotClass> classes() {
    return classes.informer().map(SharedIndexInformer::getIndexer).map(i -> List.copyOf(i.list())).orElse(List.of());
  }

  @Override
  public boolean create(VolumeSnapshot snapshot) {
    KubernetesApiResponse<VolumeSnapshot> response = api.create(snapshot);
    if (response.getHttpStatusCode() == HttpURLConnection.HTTP_CONFLICT) {
      return false;
    }
    check(response, "create VolumeSnapshot " + snapshot.name());
    return true;
  }

  @Override
  public boolean delete(String namespace, String name) {
    DeleteOptions options = new DeleteOptions();
    options.setPropagationPolicy("Background");
    KubernetesApiResponse<VolumeSnapshot> response = api.delete(namespace, name, options);
    if (response.getHttpStatusCode() == HttpURLConnection.HTTP_NOT_FOUND) {
      return false;
    }
    check(response, "delete VolumeSnapshot " + name);
    return true;
  }

  private static void check(KubernetesApiResponse<VolumeSnapshot> response, String what) {
    try {
      response.throwsApiException();
    } catch (ApiException e) {
      throw ApiClusterOperations.failure(what, e);
    }
  }
}

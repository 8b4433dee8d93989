package coffee.acupof.datamover.cluster;

import coffee.acupof.datamover.api.DataMoverApi;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1StorageClass;
import java.net.HttpURLConnection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ClusterView} over the informer caches; {@link #podsMounting} and {@link #configMapKeys} are the
 * reads that go to the API server (only the operator's own pods are cached, and no ConfigMaps).
 */
public class InformerClusterView implements ClusterView {
  /** Index of the PVC informer: {@code namespace/Kind/name} of the object its dataSourceRef names in this API group. */
  public static final String INDEX_BY_DATA_SOURCE_REF = "byDataSourceRef";

  private final SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer;
  private final Lister<V1PersistentVolume> pvs;
  private final Lister<V1StorageClass> storageClasses;
  private final CoreV1Api core;
  private final Lister<V1PersistentVolumeClaim> pvcs;
  private final Lister<V1Secret> secrets;
  private final Lister<V1Job> jobs;
  private final Lister<V1Pod> pods;

  public InformerClusterView(
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer,
      SharedIndexInformer<V1PersistentVolume> pvInformer,
      SharedIndexInformer<V1StorageClass> storageClassInformer,
      CoreV1Api core) {
    this.storageClasses = new Lister<>(storageClassInformer.getIndexer());
    this.pvcInformer = pvcInformer;
    this.pvs = new Lister<>(pvInformer.getIndexer());
    this.core = core;
    this.pvcs = new Lister<>(pvcInformer.getIndexer());
    this.secrets = new Lister<>(secretInformer.getIndexer());
    this.jobs = new Lister<>(jobInformer.getIndexer());
    this.pods = new Lister<>(podInformer.getIndexer());
  }

  @Override
  public Optional<V1PersistentVolumeClaim> pvc(String namespace, String name) {
    return Optional.ofNullable(pvcs.namespace(namespace).get(name));
  }

  @Override
  public Optional<V1Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.namespace(namespace).get(name));
  }

  @Override
  public Optional<Set<String>> configMapKeys(String namespace, String name) {
    try {
      return Optional.of(keysOf(core.readNamespacedConfigMap(name, namespace).execute()));
    } catch (ApiException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      throw ApiClusterOperations.failure("read ConfigMap " + name + " of namespace " + namespace, e);
    }
  }

  /** The key names of a ConfigMap's {@code data} and {@code binaryData}. */
  public static Set<String> keysOf(V1ConfigMap map) {
    Set<String> keys = new HashSet<>();
    Optional.ofNullable(map.getData()).ifPresent(d -> keys.addAll(d.keySet()));
    Optional.ofNullable(map.getBinaryData()).ifPresent(d -> keys.addAll(d.keySet()));
    return keys;
  }

  @Override
  public Optional<V1Job> job(String namespace, String name) {
    return Optional.ofNullable(jobs.namespace(namespace).get(name));
  }

  @Override
  public List<V1Pod> podsOfJob(String namespace, String jobName) {
    return pods.namespace(namespace).list().stream()
        .filter(p -> p.getMetadata().getLabels() != null)
        .filter(p -> jobName.equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-name"))
            || jobName.equals(p.getMetadata().getLabels().get("job-name")))
        .toList();
  }

  @Override
  public Optional<V1PersistentVolume> pv(String name) {
    return Optional.ofNullable(pvs.get(name));
  }

  @Override
  public Optional<V1StorageClass> storageClass(String name) {
    return Optional.ofNullable(storageClasses.get(name));
  }

  @Override
  public List<V1PersistentVolumeClaim> pvcsReferencing(String namespace, String kind, String name) {
    return pvcInformer.getIndexer().byIndex(INDEX_BY_DATA_SOURCE_REF, namespace + "/" + kind + "/" + name).stream()
        .sorted(Comparator.comparing((V1PersistentVolumeClaim p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /** The index function for {@link #INDEX_BY_DATA_SOURCE_REF}. */
  public static List<String> dataSourceRefKey(V1PersistentVolumeClaim pvc) {
    if (pvc.getSpec() == null || pvc.getSpec().getDataSourceRef() == null) {
      return List.of();
    }
    var ref = pvc.getSpec().getDataSourceRef();
    if (!DataMoverApi.GROUP.equals(ref.getApiGroup())) {
      return List.of();
    }
    String namespace = ref.getNamespace() == null ? pvc.getMetadata().getNamespace() : ref.getNamespace();
    return List.of(namespace + "/" + ref.getKind() + "/" + ref.getName());
  }

  @Override
  public List<V1Pod> podsMounting(String namespace, String claim) {
    try {
      return core.listNamespacedPod(namespace).execute().getItems().stream()
          .filter(p -> p.getStatus() == null || !("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())))
          .filter(p -> p.getSpec() != null && p.getSpec().getVolumes() != null)
          .filter(p -> p.getSpec().getVolumes().stream()
              .anyMatch(v -> v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName())))
          .toList();
    } catch (ApiException e) {
      throw ApiClusterOperations.failure("list the pods of namespace " + namespace, e);
    }
  }
}

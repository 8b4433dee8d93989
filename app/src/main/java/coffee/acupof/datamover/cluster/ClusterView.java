package coffee.acupof.datamover.cluster;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1StorageClass;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Read access to the cluster as the informer caches see it. Phase handlers read only through this. */
public interface ClusterView {
  Optional<V1PersistentVolumeClaim> pvc(String namespace, String name);

  Optional<V1Secret> secret(String namespace, String name);

  /**
   * The key names ({@code data} and {@code binaryData}) of a ConfigMap, empty when it does not exist.
   * ConfigMaps are not cached (only a custom CA bundle may live in one), so this one is read from the
   * API server, and only its key names are kept.
   */
  Optional<Set<String>> configMapKeys(String namespace, String name);

  Optional<V1Job> job(String namespace, String name);

  /** Pods the Job controller made for the named Job, in any order. */
  List<V1Pod> podsOfJob(String namespace, String jobName);

  Optional<V1PersistentVolume> pv(String name);

  Optional<V1StorageClass> storageClass(String name);

  /**
   * PVCs whose {@code dataSourceRef} names the object {@code kind}/{@code name} of this API group
   * (volume populator consumers), oldest first.
   */
  List<V1PersistentVolumeClaim> pvcsReferencing(String namespace, String kind, String name);

  /**
   * Pods that mount the claim and have not ended (Pending or Running). Pods are not cached (only the
   * operator's own are), so this one is read from the API server.
   */
  List<V1Pod> podsMounting(String namespace, String claim);
}

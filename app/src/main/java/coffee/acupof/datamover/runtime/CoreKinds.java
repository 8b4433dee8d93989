package coffee.acupof.datamover.runtime;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimList;
import io.kubernetes.client.openapi.models.V1PersistentVolumeList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretList;
import io.kubernetes.client.openapi.models.V1StorageClass;
import io.kubernetes.client.openapi.models.V1StorageClassList;

/** The built-in API types the operator watches, as {@link ResourceKind}s. */
public final class CoreKinds {
  public static final ResourceKind<V1PersistentVolumeClaim, V1PersistentVolumeClaimList> PVCS =
      new ResourceKind<>("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", V1PersistentVolumeClaim.class, V1PersistentVolumeClaimList.class);
  public static final ResourceKind<V1PersistentVolume, V1PersistentVolumeList> PVS =
      new ResourceKind<>("", "v1", "persistentvolumes", "PersistentVolume", V1PersistentVolume.class, V1PersistentVolumeList.class, false);
  public static final ResourceKind<V1Secret, V1SecretList> SECRETS =
      new ResourceKind<>("", "v1", "secrets", "Secret", V1Secret.class, V1SecretList.class);
  public static final ResourceKind<V1Pod, V1PodList> PODS = new ResourceKind<>("", "v1", "pods", "Pod", V1Pod.class, V1PodList.class);
  public static final ResourceKind<V1StorageClass, V1StorageClassList> STORAGE_CLASSES =
      new ResourceKind<>("storage.k8s.io", "v1", "storageclasses", "StorageClass", V1StorageClass.class, V1StorageClassList.class, false);
  public static final ResourceKind<V1Job, V1JobList> JOBS = new ResourceKind<>("batch", "v1", "jobs", "Job", V1Job.class, V1JobList.class);

  private CoreKinds() {}
}

package coffee.acupof.datamover.cluster;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.util.List;
import java.util.Optional;

/** Read access to the cluster as the informer caches see it. Phase handlers read only through this. */
public interface ClusterView {
  Optional<V1PersistentVolumeClaim> pvc(String namespace, String name);

  Optional<V1Secret> secret(String namespace, String name);

  Optional<V1Job> job(String namespace, String name);

  /** Pods the Job controller made for the named Job, in any order. */
  List<V1Pod> podsOfJob(String namespace, String jobName);
}

package coffee.acupof.datamover.cluster;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.util.List;
import java.util.Optional;

/** {@link ClusterView} over the informer caches. */
public class InformerClusterView implements ClusterView {
  private final Lister<V1PersistentVolumeClaim> pvcs;
  private final Lister<V1Secret> secrets;
  private final Lister<V1Job> jobs;
  private final Lister<V1Pod> pods;

  public InformerClusterView(
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer) {
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
}

package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the operator ({@code /actuator/health/readiness} includes it): UP once this process
 * leads and every informer has synced; OUT_OF_SERVICE while it waits for the lease or its caches.
 */
@Component("operator")
public class OperatorHealthIndicator implements HealthIndicator {
  private final OperatorLifecycle lifecycle;
  private final Map<String, SharedIndexInformer<?>> informers = new LinkedHashMap<>();

  public OperatorHealthIndicator(
      OperatorLifecycle lifecycle,
      SharedIndexInformer<DataMover> dataMoverInformer,
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer) {
    this.lifecycle = lifecycle;
    informers.put("datamovers", dataMoverInformer);
    informers.put("persistentvolumeclaims", pvcInformer);
    informers.put("secrets", secretInformer);
    informers.put("jobs", jobInformer);
    informers.put("pods", podInformer);
  }

  @Override
  public Health health() {
    boolean leader = lifecycle.isLeading();
    Map<String, Boolean> synced = new LinkedHashMap<>();
    informers.forEach((name, informer) -> synced.put(name, informer.hasSynced()));
    boolean allSynced = synced.values().stream().allMatch(Boolean::booleanValue);
    Health.Builder builder = leader && allSynced ? Health.up() : Health.outOfService();
    return builder.withDetail("leader", leader).withDetail("informersSynced", synced).build();
  }
}

package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.runtime.Informers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the operator ({@code /actuator/health/readiness} includes it): UP once this process
 * leads and every informer of every kind has synced; OUT_OF_SERVICE while it waits for the lease or
 * its caches.
 */
@Component("operator")
public class OperatorHealthIndicator implements HealthIndicator {
  private final OperatorLifecycle lifecycle;
  private final Informers informers;

  public OperatorHealthIndicator(OperatorLifecycle lifecycle, Informers informers) {
    this.lifecycle = lifecycle;
    this.informers = informers;
  }

  @Override
  public Health health() {
    boolean leader = lifecycle.isLeading();
    Map<String, Boolean> synced = new LinkedHashMap<>();
    informers.all().forEach((name, informer) -> synced.put(name, informer.hasSynced()));
    boolean allSynced = synced.values().stream().allMatch(Boolean::booleanValue);
    Health.Builder builder = leader && allSynced ? Health.up() : Health.outOfService();
    return builder.withDetail("leader", leader).withDetail("informersSynced", synced).build();
  }
}

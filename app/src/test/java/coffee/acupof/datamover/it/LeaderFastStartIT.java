package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A free Lease is taken at once, not after the leader elector's retry period: with a retry period of five
 * minutes, the operator still leads (and is ready) within a minute when no Lease exists yet, and when the Lease
 * left by a killed leader has expired.
 */
class LeaderFastStartIT {
  private static final String LEASE = "datamover-operator-leader";
  /** Far longer than the waits below, so leading in time can only come from taking the free Lease. */
  private static final Map<String, Object> SLOW_ELECTOR =
      Map.of(
          "datamover.leader-election.lease-duration", "7m",
          "datamover.leader-election.renew-deadline", "6m",
          "datamover.leader-election.retry-period", "5m");
  private static final Duration WAIT = Duration.ofMinutes(1);

  private static CoordinationV1Api leases() {
    return new CoordinationV1Api(TestCluster.admin());
  }

  private static String holder(String ns) throws ApiException {
    return leases().readNamespacedLease(LEASE, ns).execute().getSpec().getHolderIdentity();
  }

  @Test
  void withNoLeaseYetTheOperatorLeadsWithoutWaitingForTheRetryPeriod() throws ApiException {
    String ns = TestCluster.newNamespace("lease-none");
    try (RunningOperator operator = RunningOperator.start(ns, SLOW_ELECTOR)) {
      await().atMost(WAIT).until(operator::isLeading);
      await().atMost(WAIT).until(() -> operator.http("/actuator/health/readiness").statusCode() == 200);
      assertThat(operator.leaseLost()).isFalse();
      assertThat(holder(ns)).isNotBlank();
    }
  }

  @Test
  void theExpiredLeaseOfAKilledLeaderIsTakenAtOnce() throws ApiException {
    String ns = TestCluster.newNamespace("lease-expired");
    OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    leases()
        .createNamespacedLease(
            ns,
            new V1Lease()
                .metadata(new V1ObjectMeta().name(LEASE).namespace(ns))
                .spec(
                    new V1LeaseSpec()
                        .holderIdentity("datamover-operator-7d9f_killed")
                        .leaseDurationSeconds(15)
                        .acquireTime(anHourAgo)
                        .renewTime(anHourAgo)
                        .leaseTransitions(2)))
        .execute();

    try (RunningOperator operator = RunningOperator.start(ns, SLOW_ELECTOR)) {
      await().atMost(WAIT).until(operator::isLeading);
      assertThat(holder(ns)).isNotEqualTo("datamover-operator-7d9f_killed").isNotBlank();
      assertThat(leases().readNamespacedLease(LEASE, ns).execute().getSpec().getLeaseTransitions()).isEqualTo(3);
      assertThat(operator.leaseLost()).isFalse();
    }
  }
}

package coffee.acupof.datamover.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.extended.leaderelection.LeaderElectionRecord;
import io.kubernetes.client.extended.leaderelection.Lock;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;

class FirstLeaseTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration LEASE = Duration.ofSeconds(15);

  /** A Lease in memory: absent until created; create and update can be made to lose a race. */
  private static class LeaseInMemory implements Lock {
    LeaderElectionRecord record;
    boolean raceLost;
    int writes;

    @Override
    public LeaderElectionRecord get() throws ApiException {
      if (record == null) {
        throw new ApiException(404, "leases.coordination.k8s.io \"datamover-operator-leader\" not found");
      }
      return record;
    }

    @Override
    public boolean create(LeaderElectionRecord value) {
      return write(value);
    }

    @Override
    public boolean update(LeaderElectionRecord value) {
      return write(value);
    }

    private boolean write(LeaderElectionRecord value) {
      if (raceLost) {
        return false;
      }
      writes++;
      record = value;
      return true;
    }

    @Override
    public String identity() {
      return "operator-b_1234abcd";
    }

    @Override
    public String describe() {
      return "datamover-system/datamover-operator-leader";
    }
  }

  private static LeaderElectionRecord heldBy(String holder, Instant renewed, int durationSeconds) {
    return new LeaderElectionRecord(holder, durationSeconds, Date.from(renewed.minusSeconds(600)), Date.from(renewed), 3);
  }

  @Test
  void noLeaseYetIsCreatedForThisProcess() {
    LeaseInMemory lease = new LeaseInMemory();

    assertThat(FirstLease.tryTake(lease, LEASE, CLOCK)).isTrue();

    assertThat(lease.record.getHolderIdentity()).isEqualTo("operator-b_1234abcd");
    assertThat(lease.record.getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(lease.record.getRenewTime().toInstant()).isEqualTo(NOW);
    assertThat(lease.record.getLeaderTransitions()).isZero();
  }

  @Test
  void aLeaseGivenUpOnShutdownIsTakenAtOnce() {
    LeaseInMemory lease = new LeaseInMemory();
    LeaderElectionRecord released = new LeaderElectionRecord();
    released.setLeaseDurationSeconds(15);
    released.setLeaderTransitions(4);
    lease.record = released;

    assertThat(FirstLease.tryTake(lease, LEASE, CLOCK)).isTrue();

    assertThat(lease.record.getHolderIdentity()).isEqualTo("operator-b_1234abcd");
    assertThat(lease.record.getLeaderTransitions()).isEqualTo(5);
  }

  @Test
  void aLeaseNotRenewedWithinItsDurationIsTakenAtOnce() {
    LeaseInMemory lease = new LeaseInMemory();
    lease.record = heldBy("operator-a_killed", NOW.minusSeconds(16), 15);

    assertThat(FirstLease.tryTake(lease, LEASE, CLOCK)).isTrue();

    assertThat(lease.record.getHolderIdentity()).isEqualTo("operator-b_1234abcd");
    assertThat(lease.record.getAcquireTime().toInstant()).isEqualTo(NOW);
    assertThat(lease.record.getLeaderTransitions()).isEqualTo(4);
  }

  @Test
  void aLeaseAnotherProcessStillRenewsIsLeftAlone() {
    LeaseInMemory lease = new LeaseInMemory();
    LeaderElectionRecord live = heldBy("operator-a_5678ef01", NOW.minusSeconds(14), 15);
    lease.record = live;

    assertThat(FirstLease.tryTake(lease, LEASE, CLOCK)).isFalse();

    assertThat(lease.record).isSameAs(live);
    assertThat(lease.writes).isZero();
  }

  @Test
  void losingTheRaceForAFreeLeaseIsNotLeading() {
    LeaseInMemory lease = new LeaseInMemory();
    lease.raceLost = true;
    assertThat(FirstLease.tryTake(lease, LEASE, CLOCK)).isFalse();

    lease.record = heldBy("operator-a_killed", NOW.minusSeconds(60), 15);
    assertThat(FirstLease.tryTake(lease, LEASE, CLOCK)).isFalse();
  }

  @Test
  void aServerErrorIsNotLeading() {
    Lock failing =
        new LeaseInMemory() {
          @Override
          public LeaderElectionRecord get() throws ApiException {
            throw new ApiException(503, "etcdserver: leader changed");
          }
        };

    assertThat(FirstLease.tryTake(failing, LEASE, CLOCK)).isFalse();
  }
}

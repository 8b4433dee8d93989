package coffee.acupof.datamover.controller;

import io.kubernetes.client.extended.leaderelection.LeaderElectionRecord;
import io.kubernetes.client.extended.leaderelection.Lock;
import io.kubernetes.client.openapi.ApiException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Takes the leader Lease at once when nobody holds it: when it does not exist yet, was given up by the previous
 * leader (an empty holder), or has expired by its own renew time and duration.
 *
 * <p>client-java's {@code LeaderElector} checks the outcome of its first attempt only after a whole retry period
 * (2 s by default), so every start waited that long even with no other candidate. Taking a free Lease here lets
 * the operator lead at once; the elector then finds the Lease held under this identity and keeps renewing it.
 * A Lease that another candidate holds and renews is left alone, and both the create and the update are
 * optimistic (the API server refuses them when someone else was faster), so two processes never both win.
 */
final class FirstLease {

  private FirstLease() {}

  /**
   * Tries once to take the Lease behind {@code lock} for {@code leaseDuration}.
   *
   * @return true when this process now holds it
   */
  static boolean tryTake(Lock lock, Duration leaseDuration, Clock clock) {
    Instant now = clock.instant();
    LeaderElectionRecord current;
    try {
      current = lock.get();
    } catch (ApiException e) {
      return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND && lock.create(record(lock, leaseDuration, now, 0));
    }
    if (current != null && !isFree(current, now)) {
      return false;
    }
    int transitions = current == null ? 0 : current.getLeaderTransitions() + 1;
    return lock.update(record(lock, leaseDuration, now, transitions));
  }

  /** Free: no holder (never taken, or given up on shutdown), or not renewed within its own lease duration. */
  static boolean isFree(LeaderElectionRecord lease, Instant now) {
    if (lease.getHolderIdentity() == null || lease.getHolderIdentity().isBlank() || lease.getRenewTime() == null) {
      return true;
    }
    Instant expires = lease.getRenewTime().toInstant().plusSeconds(lease.getLeaseDurationSeconds());
    return expires.isBefore(now);
  }

  private static LeaderElectionRecord record(Lock lock, Duration leaseDuration, Instant now, int transitions) {
    Date at = Date.from(now);
    return new LeaderElectionRecord(lock.identity(), (int) leaseDuration.toSeconds(), at, at, transitions);
  }
}

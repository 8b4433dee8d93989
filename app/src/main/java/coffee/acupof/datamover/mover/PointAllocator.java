package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.Phase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Gives every timestamped run its own point in time ({@code YYYY-MM-DD-HHMMSS}) within its remote
 * location, so that two runs created in the same second never write into the same folder. The
 * operator is the single writer of its cluster, so it can do what the mover alone cannot: a run
 * gets its creation second unless another run of the same location already holds it, and then the
 * next free second.
 *
 * <p>Who holds a second: a run whose status records its point; a run allocated here whose status
 * write is not yet in the cache (an in-memory reservation); a run past validation from before
 * points were recorded (its creation second, which its mover used); and, in a deterministic order
 * (creation time, namespace, name), the runs still waiting for validation that come before this one,
 * so that whichever is validated first, the earlier run keeps the earlier second (runs wait
 * {@link #SETTLE} after their creation second, so all runs of that second are known).
 *
 * <p>The location is {@link coffee.acupof.datamover.api.DataMoverSpec#effectivePath()} alone: the
 * operator never reads a Secret's values, so it cannot tell buckets apart, and two locations that
 * only look alike merely move a run by a second. The mover's claim on each point catches what the
 * operator cannot see (another cluster, a hand run) and refuses to write.
 */
public class PointAllocator {
  /**
   * How long after its creation second a run waits before its point is chosen, so that every run
   * created in that second is in the cache and the order holds whichever is validated first.
   */
  public static final Duration SETTLE = Duration.ofSeconds(2);

  private static final Comparator<DataMover> ORDER =
      Comparator.comparing((DataMover d) -> d.getMetadata().getCreationTimestamp().toInstant())
          .thenComparing(DataMover::namespace)
          .thenComparing(DataMover::name);

  private final Function<String, Collection<DataMover>> runsAt;
  private final Map<String, Reservation> reservations = new HashMap<>();

  private record Reservation(String location, String point) {}

  /**
   * @param runsAt the timestamped DataMovers in the cache whose location is the given path
   */
  public PointAllocator(Function<String, Collection<DataMover>> runsAt) {
    this.runsAt = runsAt;
  }

  /** The point of {@code run}, allocated once and kept (in memory) until its status records it. */
  public synchronized String allocate(DataMover run) {
    String location = run.getSpec().effectivePath();
    Collection<DataMover> others = runsAt.apply(location);
    forgetRecorded(location, others);
    String uid = run.getMetadata().getUid();
    Reservation own = reservations.get(uid);
    if (own != null) {
      return own.point();
    }
    Set<String> taken = new HashSet<>();
    List<DataMover> waiting = new ArrayList<>();
    for (DataMover other : others) {
      if (Objects.equals(uid, other.getMetadata().getUid())) {
        continue;
      }
      Optional<String> held = held(other);
      if (held.isPresent()) {
        taken.add(held.get());
      } else if (ORDER.compare(other, run) < 0) {
        waiting.add(other);
      }
    }
    waiting.sort(ORDER);
    waiting.forEach(w -> taken.add(firstFree(w.getMetadata().getCreationTimestamp(), taken)));
    String point = firstFree(run.getMetadata().getCreationTimestamp(), taken);
    reservations.put(uid, new Reservation(location, point));
    return point;
  }

  /**
   * Reservations at {@code location} are no longer needed once the cache shows the run's recorded
   * point, or once the run is gone.
   */
  private void forgetRecorded(String location, Collection<DataMover> runs) {
    Map<String, DataMover> byUid = new HashMap<>();
    runs.forEach(o -> byUid.put(o.getMetadata().getUid(), o));
    reservations.entrySet().removeIf(e -> {
      if (!e.getValue().location().equals(location)) {
        return false;
      }
      DataMover cached = byUid.get(e.getKey());
      return cached == null || cached.getStatus().pointInTime() != null;
    });
  }

  private Optional<String> held(DataMover other) {
    if (other.getStatus().pointInTime() != null) {
      return Optional.of(other.getStatus().pointInTime());
    }
    Reservation reserved = reservations.get(other.getMetadata().getUid());
    if (reserved != null) {
      return Optional.of(reserved.point());
    }
    if (other.getStatus().phaseValue() != Phase.NEW) {
      // Validated before points were recorded: its mover used the creation second.
      return Optional.of(MoverContract.pointInTime(other.getMetadata().getCreationTimestamp()));
    }
    return Optional.empty();
  }

  private static String firstFree(OffsetDateTime from, Set<String> taken) {
    OffsetDateTime t = from;
    while (taken.contains(MoverContract.pointInTime(t))) {
      t = t.plusSeconds(1);
    }
    return MoverContract.pointInTime(t);
  }
}

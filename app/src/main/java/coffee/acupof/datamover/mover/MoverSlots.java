package coffee.acupof.datamover.mover;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The operator-wide cap on mover Jobs running at once: {@code datamover.mover.max-running} in all and
 * {@code datamover.mover.max-running-per-namespace} in one namespace (0 = no cap). Every kind that
 * starts a mover Job asks here first ({@link #request}); a run that is refused waits (a DataMover in
 * phase {@code Pending}) and asks again when a slot frees.
 *
 * <p>Nothing is counted in memory that the caches can tell: each kind is a {@link Source} that says,
 * from its informers, which of its runs hold a slot (granted and their Job not finished) and which
 * wait, so an operator restart neither loses nor doubles a slot. The only memory is a grant made in
 * this process whose status write has not reached the cache yet (a few milliseconds, at most
 * {@link #RESERVATION_TTL}), so two workers never hand out the same slot.
 *
 * <p>Fair between namespaces: a waiting run's turn is the number of runs its namespace already holds
 * plus its place in its namespace's queue (oldest first), so a namespace with hundreds of volumes
 * cannot starve one with a few ({@link #decide}).
 */
public class MoverSlots {
  static final Duration RESERVATION_TTL = Duration.ofMinutes(2);

  /** @param global at most this many mover Jobs at once (0 = no cap); @param perNamespace at most this many in one namespace (0 = no cap) */
  public record Limits(int global, int perNamespace) {
    boolean unlimited() {
      return global <= 0 && perNamespace <= 0;
    }
  }

  /** A run that holds or wants a slot: which kind, which object, since when it waits. */
  public record Claim(String kind, String namespace, String name, OffsetDateTime since) {
    String key() {
      return kind + "/" + namespace + "/" + name;
    }
  }

  /** One kind's runs, from its caches. */
  public interface Source {
    /** Runs that hold a slot: granted, and their mover Job not finished. */
    List<Claim> holding();

    /** Runs that wait for a slot. */
    List<Claim> waiting();
  }

  /** The answer to a request. */
  public sealed interface Decision permits Granted, Wait {}

  public record Granted() implements Decision {}

  /**
   * Refused for now: {@code running} of {@code limit} slots are taken ({@code runningInNamespace} of
   * {@code namespaceLimit} in the run's namespace) and {@code ahead} runs wait before this one.
   */
  public record Wait(int running, int limit, int runningInNamespace, int namespaceLimit, int ahead, String namespace) implements Decision {
    public String message() {
      StringBuilder m = new StringBuilder();
      m.append(running).append(limit > 0 ? " of " + limit : "").append(" mover Jobs running");
      if (namespaceLimit > 0) {
        m.append(" (").append(runningInNamespace).append(" of ").append(namespaceLimit).append(" in namespace ").append(namespace).append(')');
      }
      m.append("; ").append(ahead).append(ahead == 1 ? " run waits" : " runs wait").append(" ahead of this one");
      return m.toString();
    }
  }

  private final Limits limits;
  private final Supplier<List<Source>> sources;
  private final Clock clock;
  private final Map<String, Reservation> reservations = new HashMap<>();
  private final List<Runnable> wakers = new CopyOnWriteArrayList<>();

  private record Reservation(Claim claim, Instant at) {}

  public MoverSlots(Limits limits, Supplier<List<Source>> sources, Clock clock) {
    this.limits = limits;
    this.sources = sources;
    this.clock = clock;
  }

  /** Runs {@code waker} whenever a slot may have freed (each kind wakes its waiting runs). */
  public void whenFreed(Runnable waker) {
    wakers.add(waker);
  }

  /** A slot may have freed (a mover Job of some kind ended, a run left a holding phase): wake the waiting runs of every kind. */
  public void freed() {
    wakers.forEach(Runnable::run);
  }

  /** Whether {@code asking} may start its mover Job now; a grant holds the slot until the cache shows it. */
  public synchronized Decision request(Claim asking) {
    if (limits.unlimited()) {
      return new Granted();
    }
    List<Claim> holding = new ArrayList<>();
    List<Claim> waiting = new ArrayList<>();
    for (Source source : sources.get()) {
      holding.addAll(source.holding());
      waiting.addAll(source.waiting());
    }
    Set<String> held = new HashSet<>();
    holding.forEach(c -> held.add(c.key()));
    Instant now = clock.instant();
    reservations.entrySet().removeIf(e -> held.contains(e.getKey()) || e.getValue().at().plus(RESERVATION_TTL).isBefore(now));
    if (reservations.containsKey(asking.key())) {
      return new Granted();
    }
    reservations.values().forEach(r -> holding.add(r.claim()));
    waiting.removeIf(w -> reservations.containsKey(w.key()));
    Decision decision = decide(limits, holding, waiting, asking);
    if (decision instanceof Granted) {
      reservations.put(asking.key(), new Reservation(asking, now));
    }
    return decision;
  }

  /**
   * The pure decision: waiting runs (with {@code asking} among them) in their fair order get the free
   * slots, each within its namespace's limit; {@code asking} is granted when its turn comes within
   * the free slots.
   */
  public static Decision decide(Limits limits, List<Claim> holding, List<Claim> waiting, Claim asking) {
    Map<String, Integer> heldByNamespace = new HashMap<>();
    holding.forEach(c -> heldByNamespace.merge(c.namespace(), 1, Integer::sum));
    Map<String, Claim> distinct = new LinkedHashMap<>();
    waiting.forEach(c -> distinct.putIfAbsent(c.key(), c));
    distinct.putIfAbsent(asking.key(), asking);
    for (Claim h : holding) {
      distinct.remove(h.key());
    }
    List<Claim> order = fairOrder(new ArrayList<>(distinct.values()), heldByNamespace);
    int free = limits.global() > 0 ? limits.global() - holding.size() : Integer.MAX_VALUE;
    Map<String, Integer> granted = new HashMap<>(heldByNamespace);
    int ahead = 0;
    for (Claim waiter : order) {
      int inNamespace = granted.getOrDefault(waiter.namespace(), 0);
      boolean fits = free > 0 && (limits.perNamespace() <= 0 || inNamespace < limits.perNamespace());
      if (waiter.key().equals(asking.key())) {
        if (fits) {
          return new Granted();
        }
        return new Wait(
            holding.size(), limits.global(), heldByNamespace.getOrDefault(asking.namespace(), 0), limits.perNamespace(), ahead, asking.namespace());
      }
      ahead++;
      if (fits) {
        free--;
        granted.merge(waiter.namespace(), 1, Integer::sum);
      }
    }
    throw new IllegalStateException("the asking run is always in the order");
  }

  /** Each waiter's turn: what its namespace holds plus its place in its namespace's queue; ties by age. */
  static List<Claim> fairOrder(List<Claim> waiting, Map<String, Integer> heldByNamespace) {
    Comparator<Claim> age = Comparator.comparing((Claim c) -> c.since() == null ? OffsetDateTime.MIN : c.since())
        .thenComparing(Claim::kind)
        .thenComparing(Claim::name);
    Map<String, List<Claim>> byNamespace = new HashMap<>();
    waiting.forEach(c -> byNamespace.computeIfAbsent(c.namespace(), n -> new ArrayList<>()).add(c));
    Map<String, Integer> turn = new HashMap<>();
    byNamespace.forEach((ns, queue) -> {
      queue.sort(age);
      int held = heldByNamespace.getOrDefault(ns, 0);
      for (int i = 0; i < queue.size(); i++) {
        turn.put(queue.get(i).key(), held + i);
      }
    });
    List<Claim> order = new ArrayList<>(waiting);
    order.sort(Comparator.comparing((Claim c) -> turn.get(c.key())).thenComparing(age).thenComparing(Claim::namespace));
    return order;
  }
}

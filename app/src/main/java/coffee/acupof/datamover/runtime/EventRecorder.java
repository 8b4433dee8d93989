package coffee.acupof.datamover.runtime;

import coffee.acupof.datamover.api.DataMoverApi;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on the operator's objects ({@code kubectl describe} and
 * {@code kubectl events} show them), aggregated as the Kubernetes event recorder does so a run that
 * waits or retries does not flood the namespace:
 *
 * <ul>
 *   <li>the same Event again (same object, type, reason and message) within the window bumps the
 *       existing Event's {@code count} and {@code lastTimestamp} instead of creating another;
 *   <li>more than {@link #SIMILAR_LIMIT} Events of one object, type and reason with different messages
 *       within the window are folded into one Event whose message is the newest, prefixed with
 *       "(combined from similar events)".
 * </ul>
 *
 * An Event that cannot be written is logged and dropped: it never fails a reconcile.
 */
public class EventRecorder {
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final int SIMILAR_LIMIT = 10;
  static final String COMBINED = "(combined from similar events): ";
  private static final int MESSAGE_LIMIT = 1024;
  private static final int MAX_TRACKED = 4096;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  /** Where Events go: the API server, or a list in tests. */
  public interface Sink {
    /** Creates the Event; false when it could not be written. */
    boolean create(CoreV1Event event);

    /** Updates count, lastTimestamp and message of an existing Event; false when it is gone. */
    boolean update(String namespace, String name, int count, OffsetDateTime lastTimestamp, String message);
  }

  private record Identical(String uid, EventType type, String reason, String message) {}

  private record Similar(String uid, EventType type, String reason) {}

  private record Folded(String namespace, String name, int count, OffsetDateTime last) {}

  private final Sink sink;
  private final String instance;
  private final Clock clock;
  private final Map<Identical, Folded> identical = lru();
  private final Map<Similar, Deque<OffsetDateTime>> recent = lru();
  private final Map<Similar, Folded> combined = lru();

  public EventRecorder(Sink sink, String instance, Clock clock) {
    this.sink = sink;
    this.instance = instance;
    this.clock = clock;
  }

  public synchronized void record(KubernetesObject object, ResourceKind<?, ?> kind, Notice notice) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    String message = notice.message() == null ? "" : truncate(notice.message());
    String uid = object.getMetadata().getUid();
    Identical same = new Identical(uid, notice.type(), notice.reason(), message);
    if (bump(identical, same, now, message)) {
      return;
    }
    Similar similar = new Similar(uid, notice.type(), notice.reason());
    Deque<OffsetDateTime> times = recent.computeIfAbsent(similar, k -> new ArrayDeque<>());
    times.addLast(now);
    while (!times.isEmpty() && Duration.between(times.peekFirst(), now).compareTo(WINDOW) > 0) {
      times.removeFirst();
    }
    if (times.size() > SIMILAR_LIMIT) {
      String folded = truncate(COMBINED + message);
      if (!bump(combined, similar, now, folded)) {
        create(object, kind, notice, folded, now).ifPresent(f -> combined.put(similar, f));
      }
      return;
    }
    create(object, kind, notice, message, now).ifPresent(f -> identical.put(same, f));
  }

  /** Bumps the Event kept under {@code key} if it is recent; false when a new Event is needed. */
  private <K> boolean bump(Map<K, Folded> events, K key, OffsetDateTime now, String message) {
    Folded folded = events.get(key);
    if (folded == null || Duration.between(folded.last(), now).compareTo(WINDOW) > 0) {
      return false;
    }
    if (!sink.update(folded.namespace(), folded.name(), folded.count() + 1, now, message)) {
      events.remove(key);
      return false;
    }
    events.put(key, new Folded(folded.namespace(), folded.name(), folded.count() + 1, now));
    return true;
  }

  private java.util.Optional<Folded> create(
      KubernetesObject object, ResourceKind<?, ?> kind, Notice notice, String message, OffsetDateTime now) {
    V1ObjectMeta meta = object.getMetadata();
    String name = meta.getName() + "." + Long.toHexString(System.nanoTime()) + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
    CoreV1Event event =
        new CoreV1Event()
            .metadata(new V1ObjectMeta().name(name).namespace(meta.getNamespace()))
            .involvedObject(
                new V1ObjectReference()
                    .apiVersion(kind.apiVersion())
                    .kind(kind.kind())
                    .namespace(meta.getNamespace())
                    .name(meta.getName())
                    .uid(meta.getUid())
                    .resourceVersion(meta.getResourceVersion()))
            .type(notice.type().wireName())
            .reason(notice.reason())
            .message(message)
            .source(new V1EventSource().component(DataMoverApi.OPERATOR_NAME).host(instance))
            .reportingComponent(DataMoverApi.OPERATOR_NAME)
            .reportingInstance(instance)
            .firstTimestamp(now)
            .lastTimestamp(now)
            .count(1);
    if (!sink.create(event)) {
      log.debug("Event {} on {}/{} dropped", notice.reason(), meta.getNamespace(), meta.getName());
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Folded(meta.getNamespace(), name, 1, now));
  }

  private static String truncate(String message) {
    return message.length() > MESSAGE_LIMIT ? message.substring(0, MESSAGE_LIMIT) : message;
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_TRACKED;
      }
    };
  }
}

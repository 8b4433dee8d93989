package coffee.acupof.datamover.runtime;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import io.kubernetes.client.openapi.models.CoreV1Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  /** Events as the API server would hold them, by name. */
  private final Map<String, CoreV1Event> stored = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final MutableClock clock = new MutableClock(CREATED.toInstant());
  private final EventRecorder recorder =
      new EventRecorder(
          new EventRecorder.Sink() {
            @Override
            public boolean create(CoreV1Event event) {
              calls.add("create " + event.getReason());
              stored.put(event.getMetadata().getName(), event);
              return true;
            }

            @Override
            public boolean update(String namespace, String name, int count, OffsetDateTime last, String message) {
              CoreV1Event event = stored.get(name);
              if (event == null) {
                return false;
              }
              calls.add("update " + event.getReason() + " " + count);
              event.count(count).lastTimestamp(last).message(message);
              return true;
            }
          },
          "operator-1",
          clock);
  private final DataMover dm = dataMover("backup");

  @Test
  void aNewEventNamesTheObjectTheOperatorAndTheReason() {
    recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.warning("SecretNotFound", "Secret s3 not found"));

    CoreV1Event event = stored.values().iterator().next();
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo("SecretNotFound");
    assertThat(event.getMessage()).isEqualTo("Secret s3 not found");
    assertThat(event.getCount()).isEqualTo(1);
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("DataMover");
    assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("datamover.a-cup-of.coffee/v1alpha1");
    assertThat(event.getInvolvedObject().getUid()).isEqualTo("uid-backup");
    assertThat(event.getReportingInstance()).isEqualTo("operator-1");
  }

  @Test
  void theSameEventAgainBumpsTheCountOfTheFirstOne() {
    for (int i = 0; i < 5; i++) {
      recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.warning("MoverAttemptFailed", "AccessDenied"));
      clock.advance(Duration.ofSeconds(30));
    }

    assertThat(stored).hasSize(1);
    assertThat(stored.values().iterator().next().getCount()).isEqualTo(5);
    assertThat(calls).containsExactly(
        "create MoverAttemptFailed", "update MoverAttemptFailed 2", "update MoverAttemptFailed 3",
        "update MoverAttemptFailed 4", "update MoverAttemptFailed 5");
  }

  @Test
  void manySimilarEventsAreCombinedIntoOne() {
    for (int i = 1; i <= 25; i++) {
      recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.normal("MoverRunning", "attempt " + i));
      clock.advance(Duration.ofSeconds(5));
    }

    assertThat(stored).hasSize(EventRecorder.SIMILAR_LIMIT + 1);
    CoreV1Event combined = stored.values().stream().reduce((a, b) -> b).orElseThrow();
    assertThat(combined.getMessage()).isEqualTo("(combined from similar events): attempt 25");
    assertThat(combined.getCount()).isEqualTo(25 - EventRecorder.SIMILAR_LIMIT);
  }

  @Test
  void afterTheWindowTheSameEventIsNewAgain() {
    recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.normal("Validated", "ok"));
    clock.advance(EventRecorder.WINDOW.plusSeconds(1));
    recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.normal("Validated", "ok"));

    assertThat(calls).containsExactly("create Validated", "create Validated");
  }

  @Test
  void anEventThatExpiredOnTheServerIsCreatedAgain() {
    recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.normal("Validated", "ok"));
    stored.clear();
    recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.normal("Validated", "ok"));

    assertThat(calls).containsExactly("create Validated", "create Validated");
    assertThat(stored).hasSize(1);
  }

  @Test
  void eventsOfDifferentObjectsAreNeverFolded() {
    recorder.record(dm, DataMoverApi.DATAMOVERS, Notice.normal("Validated", "ok"));
    recorder.record(dataMover("other"), DataMoverApi.DATAMOVERS, Notice.normal("Validated", "ok"));

    assertThat(calls).containsExactly("create Validated", "create Validated");
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

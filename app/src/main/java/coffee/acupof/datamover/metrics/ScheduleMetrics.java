package coffee.acupof.datamover.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics per schedule, labelled {@code schedule} and {@code namespace} (as Prometheus shows them):
 * {@code datamover_schedule_last_success_timestamp_seconds}, {@code datamover_schedule_last_status}
 * (1 when the newest finished run succeeded, 0 when it failed), {@code datamover_schedule_next_run_timestamp_seconds},
 * {@code datamover_schedule_interval_seconds} (between the next two ticks), {@code datamover_schedule_ready}
 * (1 valid and runnable, 0 stalled), {@code datamover_schedule_points_retained},
 * {@code datamover_schedule_runs_total{result}} and {@code datamover_schedule_prune_failures_total}.
 * A gauge appears once its value is known; every series of a schedule is removed when it is deleted.
 */
public class ScheduleMetrics {
  /** What the gauges of one schedule show; null for an unknown value. */
  public record Snapshot(
      OffsetDateTime lastSuccess, Boolean lastSucceeded, OffsetDateTime nextRun, Long intervalSeconds, boolean ready, Integer pointsRetained) {}

  private final MeterRegistry registry;
  private final Map<String, Series> series = new ConcurrentHashMap<>();

  public ScheduleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void update(String namespace, String schedule, Snapshot snapshot) {
    Series s = series(namespace, schedule);
    s.set("datamover.schedule.last.success.timestamp", "When the newest run of each schedule succeeded (Unix time)", "seconds",
        snapshot.lastSuccess() == null ? null : (double) snapshot.lastSuccess().toEpochSecond());
    s.set("datamover.schedule.last.status", "1 when the newest finished run of each schedule succeeded, 0 when it failed", null,
        snapshot.lastSucceeded() == null ? null : snapshot.lastSucceeded() ? 1.0 : 0.0);
    s.set("datamover.schedule.next.run.timestamp", "When each schedule runs next (Unix time)", "seconds",
        snapshot.nextRun() == null ? null : (double) snapshot.nextRun().toEpochSecond());
    s.set("datamover.schedule.interval", "Time between the next two runs of each schedule", "seconds",
        snapshot.intervalSeconds() == null ? null : (double) snapshot.intervalSeconds());
    s.set("datamover.schedule.ready", "1 when the schedule is valid and will run, 0 when it is stalled", null, snapshot.ready() ? 1.0 : 0.0);
    s.set("datamover.schedule.points.retained", "Points in time of each schedule's source that its last retention run kept", null,
        snapshot.pointsRetained() == null ? null : (double) snapshot.pointsRetained());
  }

  /** A run of the schedule finished (counted once, after the status that records it was written). */
  public void runFinished(String namespace, String schedule, boolean succeeded) {
    series(namespace, schedule).count("datamover.schedule.runs", "Finished runs of each schedule, by result",
        Tags.of("result", succeeded ? "success" : "failure"));
  }

  public void pruneFailed(String namespace, String schedule) {
    series(namespace, schedule).count("datamover.schedule.prune.failures", "Failed retention (prune) Jobs of each schedule", Tags.empty());
  }

  /** Removes every series of a deleted schedule. */
  public void forget(String namespace, String schedule) {
    Series s = series.remove(namespace + "/" + schedule);
    if (s != null) {
      s.meters.forEach(registry::remove);
    }
  }

  private Series series(String namespace, String schedule) {
    return series.computeIfAbsent(namespace + "/" + schedule, k -> new Series(Tags.of("namespace", namespace, "schedule", schedule)));
  }

  private final class Series {
    private final Tags tags;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();

    Series(Tags tags) {
      this.tags = tags;
    }

    synchronized void set(String name, String description, String unit, Double value) {
      if (value == null) {
        values.remove(name);
        meters.removeIf(m -> {
          if (m.getId().getName().equals(name)) {
            registry.remove(m);
            return true;
          }
          return false;
        });
        return;
      }
      if (values.put(name, value) == null) {
        meters.add(Gauge.builder(name, values, v -> v.getOrDefault(name, Double.NaN)).description(description).baseUnit(unit).tags(tags).register(registry));
      }
    }

    synchronized void count(String name, String description, Tags extra) {
      Counter counter = Counter.builder(name).description(description).tags(tags.and(extra)).register(registry);
      if (!meters.contains(counter)) {
        meters.add(counter);
      }
      counter.increment();
    }
  }
}

package coffee.acupof.datamover.metrics;

import coffee.acupof.datamover.runtime.ManagedResource;
import coffee.acupof.datamover.runtime.phase.Outcome;
import coffee.acupof.datamover.runtime.phase.RunMetrics;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics every run kind has, under its own prefix (as Prometheus shows them, for prefix
 * {@code datamover}): {@code <prefix>_operations_total{phase,status,namespace}},
 * {@code <prefix>_phase_duration_seconds{phase}}, and per object {@code <prefix>_current_phase} and
 * {@code <prefix>_phase_started_timestamp_seconds{namespace,name,phase}}, removed with the object.
 */
public class PhaseMetrics<T extends ManagedResource<?>> implements RunMetrics<T> {
  static final Duration[] PHASE_BUCKETS = {
    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
    Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
    Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24)
  };

  protected final MeterRegistry registry;
  private final String prefix;
  private final String kind;
  private final Map<String, PhaseSeries> currentPhase = new ConcurrentHashMap<>();

  /**
   * @param prefix the metric name prefix in Micrometer's dotted form, e.g. {@code datamover.restore}
   * @param kind the kind's name for descriptions, e.g. {@code DataMoverRestore}
   */
  public PhaseMetrics(MeterRegistry registry, String prefix, String kind) {
    this.registry = registry;
    this.prefix = prefix;
    this.kind = kind;
  }

  /** A run counts as failed when it ends in its failed phase. */
  @Override
  public void transition(T run, RunPhase<?> from, RunPhase<?> to, Outcome outcome, Duration timeInPhase) {
    Counter.builder(prefix + ".operations")
        .description("Phase transitions of " + kind + " runs, by the phase left and its outcome")
        .tag("phase", from.toString())
        .tag("status", to.isFailure() ? "failure" : "success")
        .tag("namespace", run.namespace())
        .register(registry)
        .increment();
    Timer.builder(prefix + ".phase.duration")
        .description("Time " + kind + " runs spent in each phase")
        .tag("phase", from.toString())
        .serviceLevelObjectives(PHASE_BUCKETS)
        .register(registry)
        .record(timeInPhase);
  }

  /**
   * Sets the run's per-object series, replacing those of its previous phase: current phase (1) and
   * when it entered the phase (for "stuck for longer than" alerts).
   */
  @Override
  public void currentPhase(T run, RunPhase<?> phase, OffsetDateTime since) {
    String key = run.key();
    PhaseSeries existing = currentPhase.get(key);
    if (existing != null && existing.phase() == phase) {
      return;
    }
    double started = since == null ? 0 : since.toEpochSecond();
    Tags tags = Tags.of("namespace", run.namespace(), "name", run.name(), "phase", phase.toString());
    PhaseSeries series =
        new PhaseSeries(
            phase,
            Gauge.builder(prefix + ".current.phase", () -> 1)
                .description("The phase each " + kind + " is in (1 for its current phase)")
                .tags(tags)
                .register(registry),
            Gauge.builder(prefix + ".phase.started.timestamp", () -> started)
                .description("When each " + kind + " entered its current phase (Unix time)")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry));
    PhaseSeries previous = currentPhase.put(key, series);
    if (previous != null) {
      previous.removeFrom(registry);
    }
  }

  /** Removes the series of a deleted run. */
  @Override
  public void forget(String namespace, String name) {
    PhaseSeries series = currentPhase.remove(namespace + "/" + name);
    if (series != null) {
      series.removeFrom(registry);
    }
  }

  private record PhaseSeries(RunPhase<?> phase, Gauge current, Gauge started) {
    void removeFrom(MeterRegistry registry) {
      registry.remove(current);
      registry.remove(started);
    }
  }
}

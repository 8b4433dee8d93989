package coffee.acupof.datamover.metrics;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.Phase;
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
 * The old operator's metrics, under their old names (as Prometheus shows them):
 * {@code datamover_operations_total{phase,status,namespace}}, {@code datamover_phase_duration_seconds},
 * {@code datamover_data_sync_operations_total{status}}, {@code datamover_pvc_cleanup_operations_total{status}}
 * and {@code datamover_current_phase{namespace,name,phase}} with
 * {@code datamover_phase_started_timestamp_seconds}. Per-object series are removed when the
 * object is deleted.
 */
public class DataMoverMetrics implements RunMetrics<DataMover> {
  static final Duration[] PHASE_BUCKETS = {
    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
    Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
    Duration.ofHours(8), Duration.ofHours(12), Duration.ofHours(24)
  };

  private final MeterRegistry registry;
  private final Map<String, PhaseSeries> currentPhase = new ConcurrentHashMap<>();

  public DataMoverMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Records that a run left {@code from} for {@code to} after {@code timeInPhase}. A run counts as
   * failed when it ends Failed; the cleanup counter follows the outcome of the cleanup itself (a clone
   * that could not be deleted does not fail the backup).
   */
  @Override
  public void transition(DataMover dataMover, RunPhase<?> from, RunPhase<?> to, Outcome outcome, Duration timeInPhase) {
    String status = to.isFailure() ? "failure" : "success";
    Counter.builder("datamover.operations")
        .description("Phase transitions of DataMover runs, by the phase left and its outcome")
        .tag("phase", from.toString())
        .tag("status", status)
        .tag("namespace", dataMover.namespace())
        .register(registry)
        .increment();
    Timer.builder("datamover.phase.duration")
        .description("Time DataMover runs spent in each phase")
        .tag("phase", from.toString())
        .serviceLevelObjectives(PHASE_BUCKETS)
        .register(registry)
        .record(timeInPhase);
    if (from == Phase.CREATING_POD) {
      Counter.builder("datamover.data.sync.operations")
          .description("Finished mover Jobs, by outcome")
          .tag("status", status)
          .register(registry)
          .increment();
    }
    if (from == Phase.CLEANING_UP) {
      Counter.builder("datamover.pvc.cleanup.operations")
          .description("Deletions of cloned PVCs after backup, by outcome")
          .tag("status", outcome.label())
          .register(registry)
          .increment();
    }
  }

  /**
   * Sets the run's per-object series, replacing those of its previous phase:
   * {@code datamover_current_phase} (1) and {@code datamover_phase_started_timestamp_seconds} (when
   * it entered the phase, for "stuck for longer than" alerts).
   */
  @Override
  public void currentPhase(DataMover dataMover, RunPhase<?> phase, OffsetDateTime since) {
    String key = dataMover.key();
    PhaseSeries existing = currentPhase.get(key);
    if (existing != null && existing.phase() == phase) {
      return;
    }
    double started = since == null ? 0 : since.toEpochSecond();
    Tags tags = Tags.of("namespace", dataMover.namespace(), "name", dataMover.name(), "phase", phase.toString());
    PhaseSeries series =
        new PhaseSeries(
            phase,
            Gauge.builder("datamover.current.phase", () -> 1)
                .description("The phase each DataMover is in (1 for its current phase)")
                .tags(tags)
                .register(registry),
            Gauge.builder("datamover.phase.started.timestamp", () -> started)
                .description("When each DataMover entered its current phase (Unix time)")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry));
    PhaseSeries previous = currentPhase.put(key, series);
    if (previous != null) {
      previous.removeFrom(registry);
    }
  }

  /** Removes the series of a deleted DataMover. */
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

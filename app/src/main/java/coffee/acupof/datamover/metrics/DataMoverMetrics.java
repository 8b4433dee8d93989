package coffee.acupof.datamover.metrics;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.runtime.phase.Outcome;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The old operator's metrics, under their old names (as Prometheus shows them):
 * {@code datamover_operations_total{phase,status,namespace}}, {@code datamover_phase_duration_seconds},
 * {@code datamover_current_phase{namespace,name,phase}} with
 * {@code datamover_phase_started_timestamp_seconds} (see {@link PhaseMetrics}), and
 * {@code datamover_data_sync_operations_total{status}} and
 * {@code datamover_pvc_cleanup_operations_total{status}}.
 */
public class DataMoverMetrics extends PhaseMetrics<DataMover> {

  public DataMoverMetrics(MeterRegistry registry) {
    super(registry, "datamover", "DataMover");
  }

  /**
   * A run counts as failed when it ends Failed; the cleanup counter follows the outcome of the
   * cleanup itself (a clone that could not be deleted does not fail the backup).
   */
  @Override
  public void transition(DataMover dataMover, RunPhase<?> from, RunPhase<?> to, Outcome outcome, Duration timeInPhase) {
    super.transition(dataMover, from, to, outcome, timeInPhase);
    if (from == Phase.CREATING_POD) {
      Counter.builder("datamover.data.sync.operations")
          .description("Finished mover Jobs, by outcome")
          .tag("status", to.isFailure() ? "failure" : "success")
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
}

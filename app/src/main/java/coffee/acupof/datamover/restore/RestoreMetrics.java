package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.metrics.PhaseMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The restore kind's metrics: {@code datamover_restore_operations_total{phase,status,namespace}},
 * {@code datamover_restore_phase_duration_seconds{phase}}, {@code datamover_restore_current_phase} and
 * {@code datamover_restore_phase_started_timestamp_seconds{namespace,name,phase}}.
 */
public class RestoreMetrics extends PhaseMetrics<DataMoverRestore> {
  public RestoreMetrics(MeterRegistry registry) {
    super(registry, "datamover.restore", "DataMoverRestore");
  }
}

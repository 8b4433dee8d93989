package coffee.acupof.datamover.metrics;

import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.runtime.phase.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataMoverMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DataMoverMetrics metrics = new DataMoverMetrics(registry);

  @Test
  void exposesTheOldOperatorsMetricNames() {
    var dm = dataMover("backup");
    metrics.transition(dm, Phase.CREATING_POD, Phase.CLEANING_UP, Outcome.SUCCESS, Duration.ofMinutes(90));
    metrics.transition(dm, Phase.CLEANING_UP, Phase.COMPLETED, Outcome.SUCCESS, Duration.ofSeconds(2));
    metrics.currentPhase(dm, Phase.COMPLETED, coffee.acupof.datamover.Fixtures.CREATED);

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains("datamover_operations_total{namespace=\"apps\",phase=\"CreatingPod\",status=\"success\"} 1.0")
        .contains("datamover_data_sync_operations_total{status=\"success\"} 1.0")
        .contains("datamover_pvc_cleanup_operations_total{status=\"success\"} 1.0")
        .contains("datamover_phase_duration_seconds_bucket{phase=\"CreatingPod\",le=\"7200.0\"} 1")
        .contains("datamover_phase_duration_seconds_bucket{phase=\"CreatingPod\",le=\"3600.0\"} 0")
        .contains("datamover_current_phase{name=\"backup\",namespace=\"apps\",phase=\"Completed\"} 1.0")
        .contains("datamover_phase_started_timestamp_seconds{name=\"backup\",namespace=\"apps\",phase=\"Completed\"} 1.767323045E9");
  }

  @Test
  void theCurrentPhaseSeriesFollowsTheRunAndDisappearsWithIt() {
    var dm = dataMover("backup");
    metrics.currentPhase(dm, Phase.CREATING_POD, null);
    metrics.currentPhase(dm, Phase.COMPLETED, null);

    assertThat(registry.scrape()).doesNotContain("phase=\"CreatingPod\"} 1.0").contains("phase=\"Completed\"} 1.0");

    metrics.forget("apps", "backup");
    assertThat(registry.scrape()).doesNotContain("datamover_current_phase{").doesNotContain("datamover_phase_started_timestamp_seconds{");
  }
}

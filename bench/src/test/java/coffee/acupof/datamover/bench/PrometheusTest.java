package coffee.acupof.datamover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTest {
  private static final String API_SERVER = """
      # HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, ...
      # TYPE apiserver_request_total counter
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="datamover.a-cup-of.coffee",resource="datamovers",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 177
      apiserver_request_total{code="409",component="apiserver",dry_run="",group="datamover.a-cup-of.coffee",resource="datamovers",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 3
      apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="events",scope="resource",subresource="",verb="POST",version="v1"} 1.6e+02
      process_start_time_seconds 1.7e+09
      """;

  @Test
  void countersAreSummedPerChosenLabels() {
    Map<String, Double> byRequest = Prometheus.sumBy(Prometheus.parse(API_SERVER), "apiserver_request_total",
        labels -> labels.get("verb") + " " + labels.get("resource") + "/" + labels.get("subresource"));

    assertThat(byRequest).containsExactly(Map.entry("PATCH datamovers/status", 180.0), Map.entry("POST events/", 160.0));
  }

  @Test
  void labelValuesMayHoldEscapedQuotesCommasAndBraces() {
    List<Prometheus.Sample> samples = Prometheus.parse("m{a=\"x\\\"y,z}\",b=\"\\\\\"} 2\nn 3 1700000000000\n");

    assertThat(samples).containsExactly(
        new Prometheus.Sample("m", Map.of("a", "x\"y,z}", "b", "\\"), 2.0),
        new Prometheus.Sample("n", Map.of(), 3.0));
  }

  @Test
  void aDeltaKeepsWhatChanged() {
    assertThat(Prometheus.delta(Map.of("GET jobs", 10.0, "LIST jobs", 4.0), Map.of("GET jobs", 10.0, "LIST jobs", 9.0, "POST jobs", 1.0)))
        .containsExactly(Map.entry("LIST jobs", 5.0), Map.entry("POST jobs", 1.0));
  }
}

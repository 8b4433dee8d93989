package coffee.acupof.datamover.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * What needs no endpoint beans: the Accept negotiation of the Prometheus formats and the base path.
 * {@code ManagementServerIT} has the rest, against the running operator.
 */
class ActuatorRoutesTest {

  private static ActuatorRoutes routes(String basePath) {
    StaticListableBeanFactory none = new StaticListableBeanFactory();
    return new ActuatorRoutes(basePath, none.getBeanProvider(HealthEndpoint.class),
        none.getBeanProvider(HttpCodeStatusMapper.class), none.getBeanProvider(PrometheusScrapeEndpoint.class),
        none.getBeanProvider(InfoEndpoint.class));
  }

  @Test
  void theScraperGetsTheFormatItPrefers() {
    assertThat(ActuatorRoutes.format(null)).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_004);
    assertThat(ActuatorRoutes.format("*/*")).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_004);
    assertThat(ActuatorRoutes.format("text/plain")).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_004);
    // Prometheus 2.x and 3.x ask like this.
    assertThat(ActuatorRoutes.format("application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
        + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100);
    assertThat(ActuatorRoutes.format("text/plain;q=0.9,application/openmetrics-text;q=0.5"))
        .isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_004);
    assertThat(ActuatorRoutes.format("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
        + "encoding=delimited;q=0.7,text/plain;q=0.3")).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF);
    assertThat(ActuatorRoutes.format("application/json;q=0")).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_004);
    assertThat(ActuatorRoutes.format("not a media type;;;")).isEqualTo(PrometheusOutputFormat.CONTENT_TYPE_004);
  }

  @Test
  void aBasePathSetForActuatorMovesEveryPath() {
    ActuatorRoutes routes = routes("manage/");

    ActuatorRoutes.Response index = routes.answer(URI.create("/manage"), null, "http://op:8080");
    ActuatorRoutes.Response old = routes.answer(URI.create("/actuator/health"), null, "http://op:8080");

    assertThat(index.status()).isEqualTo(200);
    assertThat(index.bodyText()).contains("\"href\":\"http://op:8080/manage/health\"");
    assertThat(old.status()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
    assertThat(old.bodyText()).contains("/manage/health");
  }

  @Test
  void endpointsThatAreNotThereAreNotFound() {
    ActuatorRoutes routes = routes("/actuator");

    assertThat(routes.answer(URI.create("/actuator/prometheus"), null, "http://op").status()).isEqualTo(404);
    assertThat(routes.answer(URI.create("/actuator/health"), null, "http://op").status()).isEqualTo(404);
    assertThat(routes.answer(URI.create("/"), null, "http://op").status()).isEqualTo(404);
  }
}

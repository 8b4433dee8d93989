package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's HTTP server (the JDK's, not a servlet container) answers what probes, Prometheus and a person
 * with curl ask at Actuator's paths, in Actuator's shapes: health with its components and groups, the probe
 * groups, the Prometheus text format or OpenMetrics as the scraper asks, the index, and clear errors otherwise.
 */
class ManagementServerIT {
  private static RunningOperator operator;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    operator = RunningOperator.start(TestCluster.newNamespace("http"));
    client = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.http("/actuator/health/readiness").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    client.close();
    operator.close();
  }

  private static HttpResponse<String> send(String method, String path, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (accept != null) {
      request.header("Accept", accept);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthShowsEveryComponentWithItsDetailsAndTheProbeGroups() throws Exception {
    HttpResponse<String> response = send("GET", "/actuator/health", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject health = JsonParser.parseString(response.body()).getAsJsonObject();
    assertThat(health.get("status").getAsString()).isEqualTo("UP");
    assertThat(health.getAsJsonArray("groups")).hasSize(2);
    assertThat(health.getAsJsonArray("groups").toString()).contains("liveness", "readiness");
    JsonObject operatorHealth = health.getAsJsonObject("components").getAsJsonObject("operator");
    assertThat(operatorHealth.get("status").getAsString()).isEqualTo("UP");
    assertThat(operatorHealth.getAsJsonObject("details").get("leader").getAsBoolean()).isTrue();
    assertThat(operatorHealth.getAsJsonObject("details").getAsJsonObject("informersSynced").get("datamovers").getAsBoolean())
        .isTrue();
  }

  @Test
  void theProbeGroupsAnswerWithTheirOwnMembers() throws Exception {
    JsonObject liveness = JsonParser.parseString(send("GET", "/actuator/health/liveness", null).body()).getAsJsonObject();
    JsonObject readiness = JsonParser.parseString(send("GET", "/actuator/health/readiness/", null).body()).getAsJsonObject();

    assertThat(liveness.get("status").getAsString()).isEqualTo("UP");
    assertThat(liveness.getAsJsonObject("components").keySet()).containsExactly("livenessState");
    assertThat(readiness.getAsJsonObject("components").keySet()).containsExactlyInAnyOrder("operator", "readinessState");
    assertThat(send("GET", "/actuator/health/operator", null).body()).contains("\"leader\":true");
  }

  @Test
  void prometheusGetsTheTextFormatOrOpenMetricsAsItAsks() throws Exception {
    HttpResponse<String> text = send("GET", "/actuator/prometheus", null);
    HttpResponse<String> openMetrics = send("GET", "/actuator/prometheus",
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    HttpResponse<String> plainFirst = send("GET", "/actuator/prometheus", "text/plain;q=0.9,application/openmetrics-text;q=0.5");

    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain;version=0.0.4");
    assertThat(text.body()).contains("# TYPE datamover_workqueue_depth gauge").doesNotContain("# EOF");
    assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(openMetrics.body()).contains("datamover_workqueue_depth").endsWith("# EOF\n");
    assertThat(plainFirst.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
  }

  @Test
  void prometheusCanBeAskedForSomeMetricsOnly() throws Exception {
    String body = send("GET", "/actuator/prometheus?includedNames=datamover_workqueue_depth", null).body();

    assertThat(body).contains("datamover_workqueue_depth{").doesNotContain("jvm_");
  }

  @Test
  void theIndexLinksTheEndpoints() throws Exception {
    JsonObject links = JsonParser.parseString(send("GET", "/actuator", null).body()).getAsJsonObject().getAsJsonObject("_links");

    assertThat(links.keySet()).contains("self", "health", "health-path", "prometheus", "info");
    assertThat(links.getAsJsonObject("prometheus").get("href").getAsString())
        .isEqualTo("http://127.0.0.1:" + operator.port() + "/actuator/prometheus");
  }

  @Test
  void wrongPathsAndMethodsGetClearErrors() throws Exception {
    HttpResponse<String> unknown = send("GET", "/actuator/env", null);
    HttpResponse<String> noSuchGroup = send("GET", "/actuator/health/startup", null);
    HttpResponse<String> post = send("POST", "/actuator/health", null);
    HttpResponse<String> head = send("HEAD", "/actuator/health/readiness", null);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("/actuator/health", "/actuator/prometheus");
    assertThat(noSuchGroup.statusCode()).isEqualTo(404);
    assertThat(noSuchGroup.body()).contains("startup");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}

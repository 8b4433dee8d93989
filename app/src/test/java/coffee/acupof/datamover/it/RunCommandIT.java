package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, {@code hack/run.sh}, installs the CRDs and runs the packaged operator
 * against the current kubeconfig; here that is the test API server.
 */
class RunCommandIT {
  @Test
  void theReadmeRunCommandServesDataMovers() throws Exception {
    String ns = TestCluster.newNamespace("run-command");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("run-command", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "hack/run.sh", "--server.port=" + port, "--datamover.watch-namespace=" + ns)
            .directory(TestCluster.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", TestCluster.server().kubeconfig().toString());
    builder.environment().put("KUBECTL", TestCluster.server().kubectl().toString());
    builder.environment().put("DATAMOVER_NAMESPACE", ns);
    Process process = builder.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
        assertThat(process.isAlive()).as("hack/run.sh exited early:%n%s", Files.readString(log)).isTrue();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      });

      Given.kubectlApply(ns, """
          apiVersion: datamover.a-cup-of.coffee/v1alpha1
          kind: DataMover
          metadata:
            name: via-run-command
          spec:
            sourcePvc: not-there-yet
            secretName: s3
          """);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(TestCluster.get(ns, "via-run-command").getStatus().message()).startsWith("Waiting: source PVC not-there-yet not found"));
    } finally {
      process.destroy();
      process.waitFor();
      Files.deleteIfExists(log);
    }
  }

}

package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.testkit.ApiServer;
import coffee.acupof.datamover.testkit.Commands;
import coffee.acupof.datamover.testkit.LocalExecutor;
import coffee.acupof.datamover.testkit.MoverCommand;
import coffee.acupof.datamover.testkit.Rclone;
import coffee.acupof.datamover.testkit.S3Server;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole system on this machine: the real API server and the controllers, scheduler and played
 * kubelet and CSI driver around it ({@link TestCluster#cluster()}), the operator installed from the
 * default kustomize overlay, the operator jar running as its ServiceAccount (a real token, so the
 * base's RBAC is exactly what it may do), a real S3 server, and the {@link LocalExecutor} as the
 * kubelet's runtime for this namespace: every mover pod the Job controller makes runs the mover
 * (the Java program, {@link MoverCommand}) with real rclone.
 */
final class EndToEnd implements AutoCloseable {
  static final String OPERATOR_NAMESPACE = "datamover-system";
  static final String OPERATOR_ACCOUNT = "datamover-operator";
  private static boolean installed;

  final String namespace;
  final S3Server s3;
  final LocalExecutor executor;
  final Path volumes;
  private final Path kubeconfig;
  private final List<OperatorProcess> operators = new ArrayList<>();

  EndToEnd(String namespacePrefix) {
    this(namespacePrefix, false, false);
  }

  /** The whole system serving the namespace of exactly this name (created when missing). */
  static EndToEnd inNamespace(String name) {
    return new EndToEnd(name, true, false);
  }

  /** The whole system with the S3 server on HTTPS, its certificate from a generated CA ({@code s3.caCertificate()}). */
  static EndToEnd withTls(String namespacePrefix) {
    return new EndToEnd(namespacePrefix, false, true);
  }

  private EndToEnd(String name, boolean exact, boolean tls) {
    ApiServer server = TestCluster.server();
    install();
    namespace = exact ? TestCluster.namespace(name) : TestCluster.newNamespace(name);
    s3 = S3Server.builder().tls(tls).start();
    try {
      volumes = Files.createTempDirectory("e2e-volumes");
      kubeconfig = serviceAccountKubeconfig(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor =
        LocalExecutor.builder(server.adminClient(), volumes)
            .namespace(namespace)
            .command(MoverCommand.command())
            .baseEnvironment("PATH", Rclone.binary().getParent() + ":" + System.getenv("PATH"))
            .kubelet(TestCluster.cluster().kubelet())
            .start();
  }

  /** The directory holding the data of PVC {@code pvc} of this namespace (write into it before creating the PVC). */
  Path volume(String pvc) {
    return Given.volume(namespace, pvc);
  }

  /** Waits until DataMover {@code name} of this namespace has ended, and checks that it completed. */
  DataMoverStatus awaitBackup(String name) {
    awaitEnd("DataMover " + name, () -> TestCluster.get(namespace, name).getStatus().phaseValue().isTerminal(),
        () -> String.valueOf(TestCluster.get(namespace, name).getStatus()));
    DataMoverStatus status = TestCluster.get(namespace, name).getStatus();
    assertThat(status.phase()).as("%s: %s", name, status.message()).isEqualTo("Completed");
    return status;
  }

  /** Waits until DataMoverRestore {@code name} of this namespace has ended, and checks that it completed. */
  DataMoverRestoreStatus awaitRestore(String name) {
    awaitEnd("DataMoverRestore " + name, () -> TestCluster.restore(namespace, name).getStatus().phaseValue().isTerminal(),
        () -> String.valueOf(TestCluster.restore(namespace, name).getStatus()));
    DataMoverRestoreStatus status = TestCluster.restore(namespace, name).getStatus();
    assertThat(status.phase()).as("%s: %s", name, status.message()).isEqualTo("Completed");
    return status;
  }

  /**
   * The scheduler's complaints, in this namespace, about pods created before their PVC was bound
   * ({@code FailedScheduling}: "pod has unbound immediate PersistentVolumeClaims"), as {@code pod: message}.
   * The operator creates a mover Job only once a PVC of a class that binds at once is bound, so there are none.
   */
  List<String> podsCreatedBeforeTheirVolumeBound() throws ApiException {
    return TestCluster.core().listNamespacedEvent(namespace).execute().getItems().stream()
        .filter(event -> "FailedScheduling".equals(event.getReason()) && String.valueOf(event.getMessage()).contains("unbound immediate"))
        .map(event -> event.getInvolvedObject().getName() + ": " + event.getMessage())
        .toList();
  }

  /**
   * Waits up to 5 minutes for {@code ended}; when it does not come, fails with what an on-call
   * engineer would look at: the object's status, the namespace's Events and the operator's log.
   */
  private void awaitEnd(String what, Callable<Boolean> ended, Supplier<String> status) {
    try {
      await().atMost(Duration.ofMinutes(5)).until(ended);
    } catch (ConditionTimeoutException e) {
      StringBuilder report = new StringBuilder(what + " did not end within 5 minutes.\nstatus: " + status.get() + "\nevents:\n");
      try {
        TestCluster.core().listNamespacedEvent(namespace).execute().getItems().forEach(event ->
            report.append("  ").append(event.getInvolvedObject().getKind()).append('/').append(event.getInvolvedObject().getName())
                .append(' ').append(event.getReason()).append(": ").append(event.getMessage()).append('\n'));
      } catch (ApiException unavailable) {
        report.append("  (unavailable: ").append(unavailable.getCode()).append(")\n");
      }
      operators.forEach(operator -> report.append("operator log (last lines):\n").append(operator.logTail(300)).append('\n'));
      throw new AssertionError(report.toString(), e);
    }
  }

  /** Applies the default overlay once per JVM: CRD, namespace, ServiceAccount, RBAC, Deployment. */
  private static synchronized void install() {
    if (installed) {
      return;
    }
    ApiServer server = TestCluster.server();
    String kustomize = run(List.of("bash", "hack/kustomize.sh")).strip();
    String rendered = run(List.of(kustomize, "build", "deploy/kustomize/overlays/default"));
    try {
      Path file = Files.createTempFile("default-overlay", ".yaml");
      Files.writeString(file, rendered);
      server.runKubectl("apply", "--server-side", "--force-conflicts", "-f", file.toString());
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    installed = true;
  }

  /** A kubeconfig with a token of the operator's ServiceAccount (TokenRequest API). */
  private static Path serviceAccountKubeconfig(ApiServer server) throws IOException {
    String token;
    try {
      token =
          TestCluster.core()
              .createNamespacedServiceAccountToken(
                  OPERATOR_ACCOUNT, OPERATOR_NAMESPACE, new AuthenticationV1TokenRequest().spec(new V1TokenRequestSpec().expirationSeconds(3600L)))
              .execute()
              .getStatus()
              .getToken();
    } catch (ApiException e) {
      throw new IllegalStateException("TokenRequest failed: " + e.getResponseBody(), e);
    }
    String ca = Base64.getEncoder().encodeToString(server.caCertificates());
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: datamover-operator
          user:
            token: %s
        contexts:
        - name: operator
          context: {cluster: test, user: datamover-operator}
        current-context: operator
        """
            .formatted(server.url(), ca, token);
    Path file = Files.createTempFile("operator-kubeconfig", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** Starts the packaged operator as the ServiceAccount, serving this namespace; {@link #close} stops it. */
  OperatorProcess startOperator(String... extraArgs) {
    OperatorProcess operator = OperatorProcess.start(kubeconfig, namespace, OPERATOR_NAMESPACE, extraArgs);
    operators.add(operator);
    return operator;
  }

  /** Creates {@code bucket} on the test S3 server and Secret {@code secret} (the old operator's form) for it. */
  void bucketWithSecret(String bucket, String secret) {
    s3.createBucket(bucket);
    Given.secret(namespace, secret, s3Secret(bucket));
  }

  /** The Secret of the old operator's form (a), pointing at the test S3 server. */
  Map<String, String> s3Secret(String bucket) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    values.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    values.put("AWS_REGION", s3.region());
    values.put("BUCKET_HOST", s3.host());
    values.put("BUCKET_NAME", bucket);
    values.put("BUCKET_PORT", Integer.toString(s3.port()));
    values.put("TLS_HOST", "false");
    return values;
  }

  /**
   * Runs the mover's restore as a user would run the image, with the same Secret
   * values, into a new directory; returns that directory.
   */
  Path restore(Map<String, String> secret, Map<String, String> extra) throws IOException, InterruptedException {
    Path target = Files.createTempDirectory(volumes, "restored");
    List<String> command = new ArrayList<>(MoverCommand.command());
    command.add("restore");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", Rclone.binary().getParent() + ":" + System.getenv("PATH"));
    builder.environment().put("HOME", target.getParent().toString());
    builder.environment().putAll(secret);
    builder.environment().putAll(extra);
    builder.environment().put("MOVER_DATA_DIR", target.toString());
    builder.environment().put("MOVER_ALLOW_NONEMPTY_TARGET", "false");
    builder.environment().put("MOVER_RESULT_FILE", target.getParent().resolve(target.getFileName() + ".result").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("restore failed:\n" + output);
    }
    return target;
  }

  private static String run(List<String> command) {
    return Commands.run(command, TestCluster.repoRoot(), Duration.ofMinutes(5));
  }


  /** Stops the operators it started (closing one twice is harmless), the executor and the S3 server. */
  @Override
  public void close() {
    operators.forEach(OperatorProcess::close);
    executor.close();
    s3.close();
  }
}

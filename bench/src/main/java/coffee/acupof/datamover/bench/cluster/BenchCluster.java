package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Prometheus;
import coffee.acupof.datamover.testkit.ApiServer;
import coffee.acupof.datamover.testkit.LocalCluster;
import coffee.acupof.datamover.testkit.LocalExecutor;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The control-plane benchmark's cluster: its own etcd + kube-apiserver with the CRDs from {@code crd/}, and
 * around it the test kit's {@link LocalCluster}: the real kube-controller-manager (Job controller, PV binder,
 * garbage collector, PVC protection), the real kube-scheduler, and the played kubelet and CSI driver, whose
 * {@link LocalExecutor} runs the mover pods as processes. The mover itself is a stand-in that reports success at
 * once: this benchmark measures the operator, the data-path benchmark measures the mover.
 */
final class BenchCluster implements AutoCloseable {
  static final String GROUP = "datamover.a-cup-of.coffee";
  static final String VERSION = "v1alpha1";
  static final String PLURAL = "datamovers";
  static final String SECRET = "s3";
  private static final String STORAGE_CLASS = "csi-bench";
  private static final Duration BIND_TIMEOUT = Duration.ofMinutes(10);

  /** A contract-v1 success result, written where the executor says ({@code MOVER_RESULT_FILE}) and printed. */
  private static final String STAND_IN_MOVER = """
      result='{"operation":"backup","status":"success","exitCode":0,"destination":"s3:bench","pointInTime":"",\
      "files":0,"bytes":0,"errors":0,"deleted":0,"durationSeconds":0,"rcloneVersion":"none",\
      "message":"control-plane benchmark: stand-in mover, no data moved"}'
      printf '%s\\n' "$result" > "$MOVER_RESULT_FILE"
      printf '%s\\n' "$result"
      """;

  private final ApiServer server;
  private final LocalCluster cluster;
  private final LocalExecutor executor;
  private final Path kubeconfig;

  private BenchCluster(ApiServer server, LocalCluster cluster, LocalExecutor executor, Path kubeconfig) {
    this.server = server;
    this.cluster = cluster;
    this.executor = executor;
    this.kubeconfig = kubeconfig;
  }

  /** Starts everything; mover Jobs of {@code runNamespace} are run by the executor. */
  static BenchCluster start(Path repo, Path work, String runNamespace) {
    ApiServer server = ApiServer.start();
    try {
      server.applyYaml(repo.resolve("crd"));
      LocalCluster cluster = LocalCluster.start(server, work.resolve("cluster"));
      try {
        LocalProvisioner.ensureStorageClass(server.adminClient(), STORAGE_CLASS, "Immediate");
        LocalExecutor executor = LocalExecutor.builder(server.adminClient(), work)
            .kubelet(cluster.kubelet())
            .namespace(runNamespace)
            .command(List.of("sh", "-c", STAND_IN_MOVER, "stand-in-mover"))
            .start();
        return new BenchCluster(server, cluster, executor, server.writeKubeconfig(work.resolve("kubeconfig")));
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  ApiClient client() {
    return server.adminClient();
  }

  /** A client without a read timeout, for watches. */
  ApiClient watchClient() {
    ApiClient client = server.adminClient();
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    return client;
  }

  /** Creates namespace {@code name} with the mover Secret (the old operator's keys; values unused). */
  void namespaceWithSecret(String name) {
    CoreV1Api core = new CoreV1Api(client());
    try {
      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
      Map<String, String> keys = new LinkedHashMap<>();
      keys.put("AWS_ACCESS_KEY_ID", "bench-access-key");
      keys.put("AWS_SECRET_ACCESS_KEY", "bench-secret-key");
      keys.put("AWS_REGION", "us-east-1");
      keys.put("BUCKET_HOST", "127.0.0.1");
      keys.put("BUCKET_NAME", "bench");
      keys.put("BUCKET_PORT", "9000");
      keys.put("TLS_HOST", "false");
      core.createNamespacedSecret(name, new V1Secret().metadata(new V1ObjectMeta().name(SECRET)).stringData(keys)).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot create namespace " + name + ": " + e.getResponseBody(), e);
    }
  }

  /**
   * Creates {@code names} as PVCs of {@code namespace} and waits until the real PV binder has bound each to the
   * volume the played driver provisioned, so the runs measured do not wait for storage.
   */
  void boundPvcs(String namespace, List<String> names) {
    CoreV1Api core = new CoreV1Api(client());
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> created = new ArrayList<>();
      for (String name : names) {
        created.add(pool.submit(() -> {
          core.createNamespacedPersistentVolumeClaim(namespace, new V1PersistentVolumeClaim()
              .metadata(new V1ObjectMeta().name(name))
              .spec(new V1PersistentVolumeClaimSpec()
                  .storageClassName(STORAGE_CLASS)
                  .accessModes(List.of("ReadWriteOnce"))
                  .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))))))
              .execute();
          return null;
        }));
      }
      for (Future<?> future : created) {
        future.get();
      }
      awaitBound(core, namespace, names.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot create the source PVCs: " + e.getCause(), e.getCause());
    }
  }

  private static void awaitBound(CoreV1Api core, String namespace, int count) throws InterruptedException {
    long deadline = System.nanoTime() + BIND_TIMEOUT.toNanos();
    long bound = 0;
    while (System.nanoTime() < deadline) {
      try {
        bound = core.listNamespacedPersistentVolumeClaim(namespace).execute().getItems().stream()
            .filter(pvc -> pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase())).count();
      } catch (ApiException e) {
        throw new IllegalStateException("cannot list the PVCs of " + namespace + ": " + e.getResponseBody(), e);
      }
      if (bound >= count) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(bound + " of " + count + " source PVCs of " + namespace + " were bound after "
        + BIND_TIMEOUT + ": see the provisioner and kube-controller-manager logs under the benchmark's work directory");
  }

  /** Creates a DataMover that backs up {@code sourcePvc} with the namespace's Secret, as the old README shows. */
  void createDataMover(String namespace, String name, String sourcePvc) {
    Map<String, Object> body = Map.of(
        "apiVersion", GROUP + "/" + VERSION,
        "kind", "DataMover",
        "metadata", Map.of("name", name, "namespace", namespace),
        "spec", Map.of("sourcePvc", sourcePvc, "secretName", SECRET, "addTimestampPrefix", false, "deletePvcAfterBackup", true));
    try {
      new CustomObjectsApi(client()).createNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL, body).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot create DataMover " + namespace + "/" + name + ": " + e.getResponseBody(), e);
    }
  }

  /**
   * The API server's request counters so far ({@code apiserver_request_total}), summed per verb and resource
   * (with its subresource), e.g. {@code PATCH datamovers/status}.
   */
  Map<String, Double> requestCounts() {
    Request request = new Request.Builder().url(server.url() + "/metrics").header("Authorization", "Bearer " + server.token()).build();
    try (Response response = client().getHttpClient().newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException("GET /metrics answered " + response.code());
      }
      return Prometheus.sumBy(Prometheus.parse(response.body().string()), "apiserver_request_total", labels -> {
        String subresource = labels.getOrDefault("subresource", "");
        return labels.get("verb") + " " + labels.get("resource") + (subresource.isEmpty() ? "" : "/" + subresource);
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the API server's metrics: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    executor.close();
    cluster.close();
    server.close();
  }
}

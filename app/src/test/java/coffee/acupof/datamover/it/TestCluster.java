package coffee.acupof.datamover.it;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverList;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.testkit.ApiServer;
import coffee.acupof.datamover.testkit.LocalCluster;
import coffee.acupof.datamover.testkit.node.ScriptedRuntime;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real API server all integration tests of this JVM share (etcd + kube-apiserver from
 * hack/envtest-assets.sh), with the CRDs from crd/ installed, the cluster around it
 * ({@link LocalCluster}: the real kube-controller-manager and kube-scheduler, a played kubelet and
 * CSI driver), and typed clients for it. Each test class works in a namespace of its own. Pods run
 * with a {@link ScriptedRuntime} (the test says how each ends, see {@link KubeletStandIn}) unless a
 * test gives their namespace another runtime.
 */
public final class TestCluster {
  private static final ScriptedRuntime SCRIPTED_PODS = new ScriptedRuntime();
  private static boolean started;

  private TestCluster() {}

  public static synchronized ApiServer server() {
    ApiServer server = ApiServer.shared();
    if (!started) {
      server.applyYaml(repoRoot().resolve("crd"));
      // Stand-ins for CRDs of other projects that cannot be fetched here (see the file's header).
      server.applyYaml(repoRoot().resolve("app/src/test/resources/stand-in-crds"));
      LocalCluster.shared().kubelet().use("", SCRIPTED_PODS);
      started = true;
    }
    return server;
  }

  /** The controllers, the scheduler and the stand-ins around {@link #server()}. */
  public static LocalCluster cluster() {
    server();
    return LocalCluster.shared();
  }

  /** How the pods of namespaces without a runtime of their own end: as the tests say. */
  public static ScriptedRuntime scriptedPods() {
    server();
    return SCRIPTED_PODS;
  }

  public static Path repoRoot() {
    String root = System.getProperty("datamover.root");
    Path dir = root == null || root.isBlank() ? Path.of("").toAbsolutePath() : Path.of(root);
    while (dir != null && !Files.isDirectory(dir.resolve("crd"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (a directory with crd/); set -Ddatamover.root");
    }
    return dir;
  }

  public static ApiClient admin() {
    return server().adminClient();
  }

  public static CoreV1Api core() {
    return new CoreV1Api(admin());
  }

  public static BatchV1Api batch() {
    return new BatchV1Api(admin());
  }

  public static GenericKubernetesApi<DataMover, DataMoverList> dataMovers() {
    return new GenericKubernetesApi<>(
        DataMover.class, DataMoverList.class, DataMoverApi.GROUP, DataMoverApi.VERSION, DataMoverApi.PLURAL, admin());
  }

  /**
   * Creates a namespace with a random suffix (see {@link #namespace(String)}).
   */
  public static String newNamespace(String prefix) {
    return namespace(prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)));
  }

  /**
   * Creates the namespace of exactly this name unless it exists. It enforces the "restricted" Pod
   * Security Standard, so every pod a test makes from the operator's Job template passes the real
   * admission check.
   */
  public static String namespace(String name) {
    try {
      core()
          .createNamespace(
              new V1Namespace()
                  .metadata(
                      new V1ObjectMeta()
                          .name(name)
                          .labels(Map.of("pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/enforce-version", "latest"))))
          .execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException("cannot create namespace " + name + ": " + e.getResponseBody(), e);
      }
    }
    return name;
  }


  public static DataMover get(String namespace, String name) {
    try {
      return dataMovers().get(namespace, name).throwsApiException().getObject();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read DataMover " + namespace + "/" + name + ": " + e.getResponseBody(), e);
    }
  }

  public static DataMoverRestore restore(String namespace, String name) {
    try {
      return DataMoverApi.RESTORES.api(admin()).get(namespace, name).throwsApiException().getObject();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read DataMoverRestore " + namespace + "/" + name + ": " + e.getResponseBody(), e);
    }
  }

  public static DataMover create(DataMover dataMover) {
    try {
      return dataMovers().create(dataMover).throwsApiException().getObject();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot create " + dataMover.key() + ": " + e.getResponseBody(), e);
    }
  }

  /** Events recorded on a DataMover, oldest first. */
  public static List<CoreV1Event> events(String namespace, String name) {
    try {
      return core().listNamespacedEvent(namespace).fieldSelector("involvedObject.name=" + name).execute().getItems().stream()
          .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
          .toList();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }

  /**
   * What a test that waited in vain for a run should print: the run's phase and message, its mover
   * Job's counts and conditions, its pods' phases and container states, and its Events.
   */
  public static String describeRun(String namespace, String name) {
    StringBuilder out = new StringBuilder("run ").append(namespace).append('/').append(name).append(": ");
    try {
      var status = get(namespace, name).getStatus();
      out.append(status == null ? "no status" : status.phase() + " (" + status.message() + ")");
      String job = ChildNames.moverJob(name);
      try {
        var jobStatus = batch().readNamespacedJob(job, namespace).execute().getStatus();
        out.append("\n  Job ").append(job).append(": active ").append(jobStatus.getActive()).append(", succeeded ").append(jobStatus.getSucceeded())
            .append(", failed ").append(jobStatus.getFailed()).append(", conditions ")
            .append(jobStatus.getConditions() == null ? "[]" : jobStatus.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()).toList());
      } catch (ApiException e) {
        out.append("\n  Job ").append(job).append(": HTTP ").append(e.getCode());
      }
      for (var pod : core().listNamespacedPod(namespace).labelSelector("batch.kubernetes.io/job-name=" + job).execute().getItems()) {
        var podStatus = pod.getStatus();
        out.append("\n  pod ").append(pod.getMetadata().getName()).append(" on ").append(pod.getSpec().getNodeName()).append(": ")
            .append(podStatus == null ? "no status" : podStatus.getPhase() + " " + podStatus.getConditions() + " " + podStatus.getContainerStatuses());
      }
      events(namespace, name).forEach(e -> out.append("\n  event ").append(e.getReason()).append(": ").append(e.getMessage()));
    } catch (ApiException | RuntimeException e) {
      out.append("\n  (could not read all of it: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  public static List<String> eventReasons(String namespace, String name) {
    return events(namespace, name).stream().map(CoreV1Event::getReason).toList();
  }
}

package coffee.acupof.datamover.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Runs kube-controller-manager against the test API server and checks the controllers work. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerManagerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String NAMESPACE = "garbage-collection";

  private static ApiServer.ControllerManager garbageCollector;

  @BeforeAll
  static void startGarbageCollectorOnSharedServer() throws ApiException {
    ApiServer server = ApiServer.shared();
    garbageCollector = server.startControllerManager("garbagecollector");
    new CoreV1Api(server.adminClient())
        .createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(NAMESPACE))).execute();
  }

  @AfterAll
  static void stopGarbageCollector() {
    if (garbageCollector != null) {
      garbageCollector.close();
      assertFalse(garbageCollector.isRunning(), "close() stops kube-controller-manager");
      assertTrue(ApiServer.shared().controllerManager().isEmpty());
    }
  }

  @Test
  @Order(1)
  void garbageCollectorDeletesDependentsOfDeletedOwner() throws Exception {
    CoreV1Api core = new CoreV1Api(ApiServer.shared().adminClient());
    V1ConfigMap owner = core.createNamespacedConfigMap(NAMESPACE,
            new V1ConfigMap().metadata(new V1ObjectMeta().name("owner")))
        .execute();
    core.createNamespacedConfigMap(NAMESPACE, new V1ConfigMap().metadata(new V1ObjectMeta()
            .name("dependent")
            .ownerReferences(List.of(new V1OwnerReference()
                .apiVersion("v1")
                .kind("ConfigMap")
                .name("owner")
                .uid(owner.getMetadata().getUid())))))
        .execute();
    V1ConfigMap unrelated = core.createNamespacedConfigMap(NAMESPACE,
            new V1ConfigMap().metadata(new V1ObjectMeta().name("unrelated")))
        .execute();

    core.deleteNamespacedConfigMap("owner", NAMESPACE).propagationPolicy("Background").execute();

    awaitGone(() -> core.readNamespacedConfigMap("dependent", NAMESPACE).execute());
    assertEquals(unrelated.getMetadata().getUid(),
        core.readNamespacedConfigMap("unrelated", NAMESPACE).execute().getMetadata().getUid(),
        "objects without an owner reference stay");
  }

  @Test
  @Order(2)
  void secondControllerManagerOnSameServerIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ApiServer.shared().startControllerManager("namespace"));

    assertTrue(e.getMessage().contains("already runs"), e.getMessage());
    assertTrue(garbageCollector.isRunning());
    assertEquals(garbageCollector, ApiServer.shared().controllerManager().orElseThrow());
  }

  @Test
  @Order(3)
  void unknownControllerFailsWithItsLog() {
    garbageCollector.close();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ApiServer.shared().startControllerManager("no-such-controller"));

    assertTrue(e.getMessage().contains("kube-controller-manager exited"), e.getMessage());
    assertTrue(e.getMessage().contains("no-such-controller"), "the message holds the log tail: " + e.getMessage());
    // The shared server still takes a new one after a failed start.
    garbageCollector = ApiServer.shared().startControllerManager("garbagecollector");
    assertTrue(garbageCollector.isRunning());
  }

  @Test
  void startWithControllersRunsJobAndNamespaceControllersUntilClose() throws Exception {
    ApiServer.ControllerManager manager;
    try (ApiServer server = ApiServer.startWithControllers("garbagecollector", "namespace", "job")) {
      manager = server.controllerManager().orElseThrow();
      assertEquals(List.of("garbagecollector", "namespace", "job"), manager.controllers());
      assertTrue(Files.readString(manager.logFile()).contains("Started controller"));
      CoreV1Api core = new CoreV1Api(server.adminClient());
      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("jobs"))).execute();
      new BatchV1Api(server.adminClient()).createNamespacedJob("jobs", new V1Job()
              .metadata(new V1ObjectMeta().name("sleeper"))
              .spec(new V1JobSpec().template(new V1PodTemplateSpec().spec(new V1PodSpec()
                  .restartPolicy("Never")
                  .containers(List.of(new V1Container().name("sleep").image("busybox")))))))
          .execute();

      await("the Job controller creates the Job's pod",
          () -> core.listNamespacedPod("jobs").labelSelector("job-name=sleeper").execute().getItems().size() == 1);

      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("doomed"))).execute();
      core.createNamespacedConfigMap("doomed", new V1ConfigMap().metadata(new V1ObjectMeta().name("content")))
          .execute();
      // The namespace controller deletes the contents, then the namespace. (kubectl, as the Java client
      // cannot read the Namespace that the API server returns instead of a Status.)
      server.runKubectl("delete", "namespace", "doomed", "--wait=false");
      awaitGone(() -> core.readNamespace("doomed").execute());
    }
    assertFalse(manager.isRunning(), "closing the server stops its controller manager");
  }

  /** Waits until {@code read} fails with 404. */
  private static void awaitGone(Callable<?> read) throws Exception {
    await("the object is deleted", () -> {
      try {
        read.call();
        return false;
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          return true;
        }
        throw e;
      }
    });
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + "s waiting until " + what);
      }
      Thread.sleep(200);
    }
  }
}

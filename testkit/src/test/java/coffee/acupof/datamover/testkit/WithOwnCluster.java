package coffee.acupof.datamover.testkit;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * For the test kit's own tests of the cluster parts: an API server of the test class's own with a
 * {@link LocalCluster} around it (files under {@link #files}), started before the class's
 * {@code @BeforeAll} and stopped after its tests, and the steps they share.
 */
abstract class WithOwnCluster {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir
  static Path files;

  static ApiServer server;
  static LocalCluster cluster;
  static CoreV1Api core;

  @BeforeAll
  static void startOwnCluster() {
    server = ApiServer.start();
    cluster = LocalCluster.start(server, files.resolve("cluster"));
    core = new CoreV1Api(server.adminClient());
  }

  @AfterAll
  static void stopOwnCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static String namespace(String name) throws ApiException {
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
    return name;
  }

  static String phase(String ns, String claim) throws ApiException {
    V1PersistentVolumeClaim current = core.readNamespacedPersistentVolumeClaim(claim, ns).execute();
    return current.getStatus() == null ? null : current.getStatus().getPhase();
  }

  /** Waits until the real PV binder has bound {@code claim}, and returns its volume. */
  static V1PersistentVolume awaitBound(String ns, String claim) throws ApiException {
    await().atMost(TIMEOUT).until(() -> "Bound".equals(phase(ns, claim)));
    return core.readPersistentVolume(core.readNamespacedPersistentVolumeClaim(claim, ns).execute().getSpec().getVolumeName()).execute();
  }
}

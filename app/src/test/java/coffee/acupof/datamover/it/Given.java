package coffee.acupof.datamover.it;

import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.runtime.ManagedResource;
import coffee.acupof.datamover.runtime.ResourceKind;
import coffee.acupof.datamover.runtime.phase.RunStatus;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Objects a user would have in the cluster before creating a DataMover. */
public final class Given {
  /** The old operator's MinIO example Secret (values are test values). */
  public static final Map<String, String> S3_KEYS =
      Map.of(
          "AWS_ACCESS_KEY_ID", "minio-access-key",
          "AWS_SECRET_ACCESS_KEY", "minio-secret-key-do-not-log",
          "AWS_REGION", "us-east-1",
          "BUCKET_HOST", "minio.example.com",
          "BUCKET_NAME", "backups",
          "BUCKET_PORT", "9000",
          "TLS_HOST", "false");

  private Given() {}

  /**
   * A source PVC that an application has been using, Bound to its volume. Its storage class is
   * created (served by the test kit's CSI driver, Immediate binding) unless it exists; for a
   * {@code WaitForFirstConsumer} class the PVC carries the node chosen for the application's pod,
   * as the scheduler would have written it. The real PV binder binds it to the volume the driver
   * provisions; files written before into {@link #volume(String, String)} are its content.
   */
  public static V1PersistentVolumeClaim boundPvc(String namespace, String name, String storageClass) {
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), storageClass, "Immediate");
    V1ObjectMeta metadata = new V1ObjectMeta().name(name).namespace(namespace);
    if ("WaitForFirstConsumer".equals(bindingMode(storageClass))) {
      metadata.putAnnotationsItem("volume.kubernetes.io/selected-node", TestCluster.cluster().kubelet().nodeName());
    }
    V1PersistentVolumeClaim pvc =
        new V1PersistentVolumeClaim()
            .metadata(metadata)
            .spec(
                new V1PersistentVolumeClaimSpec()
                    .storageClassName(storageClass)
                    .accessModes(List.of("ReadWriteOnce"))
                    .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi")))));
    try {
      TestCluster.core().createNamespacedPersistentVolumeClaim(namespace, pvc).execute();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> "Bound".equals(phase(namespace, name)));
    return pvc;
  }

  /** The directory holding the data of PVC {@code namespace/name} (write into it before creating the PVC). */
  public static Path volume(String namespace, String name) {
    return TestCluster.cluster().provisioner().volume(namespace, name);
  }

  private static String bindingMode(String storageClass) {
    try {
      return new StorageV1Api(TestCluster.admin()).readStorageClass(storageClass).execute().getVolumeBindingMode();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }

  private static String phase(String namespace, String name) throws ApiException {
    V1PersistentVolumeClaim pvc = TestCluster.core().readNamespacedPersistentVolumeClaim(name, namespace).execute();
    return pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
  }

  public static void secret(String namespace, String name, Map<String, String> values) {
    try {
      TestCluster.core()
          .createNamespacedSecret(namespace, new V1Secret().metadata(new V1ObjectMeta().name(name).namespace(namespace)).stringData(values))
          .execute();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }

  /** Applies YAML with kubectl as a user would (strict field validation), in the namespace. */
  public static String kubectlApply(String namespace, String yaml) {
    try {
      Path file = Files.createTempFile("manifest", ".yaml");
      Files.writeString(file, yaml);
      try {
        return TestCluster.server().runKubectl("apply", "-n", namespace, "-f", file.toString());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies a DataMover with kubectl as a user would: {@code extraSpec} is more YAML under
   * {@code spec:}, e.g. {@code "addTimestampPrefix: true"}.
   */
  public static void dataMover(String namespace, String name, String sourcePvc, String secretName, String extraSpec) {
    dataMover(namespace, name, "sourcePvc: " + sourcePvc + "\nsecretName: " + secretName + "\n" + extraSpec.strip());
  }

  /** Applies a DataMover with kubectl as a user would: {@code spec} is the YAML under {@code spec:}. */
  public static void dataMover(String namespace, String name, String spec) {
    apply(namespace, "DataMover", name, spec);
  }

  /**
   * Applies a DataMoverRestore with kubectl as a user would: {@code spec} is the YAML under
   * {@code spec:}.
   */
  public static void restore(String namespace, String name, String spec) {
    apply(namespace, "DataMoverRestore", name, spec);
  }

  private static void apply(String namespace, String kind, String name, String spec) {
    kubectlApply(namespace, """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: %s
        metadata:
          name: %s
        spec:
        %s
        """.formatted(kind, name, spec.strip().indent(2)));
  }

  /**
   * Records every distinct {@code status.phase} a run (a DataMover, or a DataMoverRestore) goes
   * through, from a watch started before the object exists. Close it to stop watching.
   */
  public static final class PhaseHistory implements AutoCloseable {
    private final List<String> phases = Collections.synchronizedList(new ArrayList<>());
    /** Every distinct status the watch delivered, in order (the first is the new object's). */
    private final List<RunStatus<?>> statuses = new ArrayList<>();
    private final Watch<? extends ManagedResource<? extends RunStatus<?>>> watch;

    /** The phases of DataMover {@code namespace/name}. */
    public PhaseHistory(String namespace, String name) {
      this(DataMoverApi.DATAMOVERS, namespace, name);
    }

    public PhaseHistory(ResourceKind<? extends ManagedResource<? extends RunStatus<?>>, ?> kind, String namespace, String name) {
      watch = openWatch(kind, namespace, name);
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (Watch.Response<? extends ManagedResource<? extends RunStatus<?>>> event : watch) {
                    RunStatus<?> status = event.object.getStatus();
                    String phase = status.phase();
                    String value = phase == null ? "" : phase;
                    synchronized (phases) {
                      if (phases.isEmpty() || !Objects.equals(phases.getLast(), value)) {
                        phases.add(value);
                      }
                      if (statuses.isEmpty() || !Objects.equals(statuses.getLast(), status)) {
                        statuses.add(status);
                      }
                    }
                  }
                } catch (RuntimeException closed) {
                  // the watch was closed
                }
              },
              "phase-history-" + name);
      thread.setDaemon(true);
      thread.start();
    }

    /** Opens the watch, retrying while a new CRD's watch cache answers 429 "storage is (re)initializing". */
    private static <T extends KubernetesObject> Watch<T> openWatch(ResourceKind<T, ?> kind, String namespace, String name) {
      var client = TestCluster.server().adminClient();
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(java.time.Duration.ZERO).build());
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          return Watch.createWatch(
              client,
              new io.kubernetes.client.openapi.apis.CustomObjectsApi(client)
                  .listNamespacedCustomObject(kind.group(), kind.version(), namespace, kind.plural())
                  .fieldSelector("metadata.name=" + name)
                  .watch(true)
                  .buildCall(null),
              TypeToken.getParameterized(Watch.Response.class, kind.type()).getType());
        } catch (ApiException e) {
          if (e.getCode() != 429 || System.nanoTime() > deadline) {
            throw new IllegalStateException(e.getResponseBody(), e);
          }
          try {
            Thread.sleep(500);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
          }
        }
      }
    }

    public List<String> phases() {
      synchronized (phases) {
        return List.copyOf(phases);
      }
    }

    /**
     * The status writes the watch saw: each resourceVersion whose status differs from the one before
     * ({@code phase reason}), the new object's empty status left out.
     */
    public List<String> statusWrites() {
      synchronized (phases) {
        return statuses.stream().skip(1).map(s -> s.phase() + " " + s.reason()).toList();
      }
    }

    @Override
    public void close() throws IOException {
      watch.close();
    }
  }
}

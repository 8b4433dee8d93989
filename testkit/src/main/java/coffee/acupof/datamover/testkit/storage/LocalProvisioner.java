package coffee.acupof.datamover.testkit.storage;

import coffee.acupof.datamover.testkit.storage.ContentSource.ProvisioningException;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.StorageV1Api;
import io.kubernetes.client.openapi.models.V1CSIPersistentVolumeSource;
import io.kubernetes.client.openapi.models.V1NodeSelector;
import io.kubernetes.client.openapi.models.V1NodeSelectorRequirement;
import io.kubernetes.client.openapi.models.V1NodeSelectorTerm;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1StorageClass;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import io.kubernetes.client.openapi.models.V1VolumeNodeAffinity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a CSI driver with its external provisioner for the storage classes whose provisioner is
 * {@value #NAME}: every volume is a local directory. Everything above the driver is the real
 * persistentvolume-binder of kube-controller-manager: it asks for a volume by annotating a PVC with
 * {@code volume.kubernetes.io/storage-provisioner}, binds the PV created here, and releases it when
 * the claim is deleted; with {@code WaitForFirstConsumer}, the real scheduler first chooses a node
 * ({@code volume.kubernetes.io/selected-node}).
 *
 * <ul>
 *   <li>For a pending claim annotated for {@value #NAME} it creates a PV pre-bound to the claim,
 *       named {@code pvc-<claim uid>} as the external provisioner names them: a CSI volume of driver
 *       {@value #NAME} whose handle is the directory, with the claim's size and access modes, the
 *       class's reclaim policy and, when a node was selected, node affinity to that node.
 *   <li>The directory is {@link #volume(String, String) <root>/<namespace>/<claim>}; files already
 *       there are the volume's content (tests write a volume's data there before creating its PVC).
 *       A claim whose {@code dataSourceRef} is a kind a {@link ContentSource} handles starts as a
 *       copy of the source's directory: a PVC (a clone) or a VolumeSnapshot taken by
 *       {@link LocalSnapshotter} (a restore; it waits until the snapshot is ready to use and needs at
 *       least the snapshot's {@code restoreSize}). Other kinds are left to a volume populator, as the
 *       external provisioner leaves them.
 *   <li>A Released PV it provisioned whose reclaim policy is {@code Delete} loses its directory,
 *       then the PV is deleted (the real pv-protection controller removes its finalizer). A
 *       {@code Retain} PV and its directory stay.
 * </ul>
 *
 * <p>Problems are Events on the claim ({@code ProvisioningFailed}), as the external provisioner
 * reports them; {@code ProvisioningSucceeded} follows a new volume.
 */
public final class LocalProvisioner implements AutoCloseable {
  /** The provisioner name of the storage classes this serves, and the CSI driver name of its PVs. */
  public static final String NAME = "local.testkit.datamover.a-cup-of.coffee";

  static final String ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  static final String ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
  static final String ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  private static final Logger LOG = LoggerFactory.getLogger(LocalProvisioner.class);
  private static final long POLL_MILLIS = 300;

  private final CoreV1Api core;
  private final StorageV1Api storage;
  private final Path root;
  private final List<ContentSource> contentSources;
  private final Events events;
  private final Set<String> paused = ConcurrentHashMap.newKeySet();
  /** The last ProvisioningFailed message per claim uid, so a repeated failure is reported once. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "local-provisioner");
    thread.setDaemon(true);
    return thread;
  });

  private LocalProvisioner(ApiClient client, Path root) {
    this.core = new CoreV1Api(client);
    this.storage = new StorageV1Api(client);
    this.root = root.toAbsolutePath().normalize();
    this.contentSources = List.of(new ClaimContent(core, this), new SnapshotContent(client));
    this.events = new Events(core, NAME);
  }

  /** Starts provisioning, with the volumes' directories under {@code root} (created when missing). */
  public static LocalProvisioner start(ApiClient client, Path root) {
    LocalProvisioner provisioner = new LocalProvisioner(client, root);
    Directories.createDirectories(provisioner.root);
    provisioner.poller.scheduleWithFixedDelay(provisioner::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return provisioner;
  }

  /**
   * A storage class served by this provisioner, with reclaim policy {@code Delete} and the given
   * binding mode ({@code Immediate} or {@code WaitForFirstConsumer}).
   */
  public static V1StorageClass storageClass(String name, String volumeBindingMode) {
    return new V1StorageClass()
        .metadata(new V1ObjectMeta().name(name))
        .provisioner(NAME)
        .reclaimPolicy("Delete")
        .volumeBindingMode(volumeBindingMode);
  }

  /** Creates {@link #storageClass(String, String)} unless a storage class of that name exists. */
  public static void ensureStorageClass(ApiClient client, String name, String volumeBindingMode) {
    try {
      new StorageV1Api(client).createStorageClass(storageClass(name, volumeBindingMode)).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException("cannot create storage class " + name + ": " + e.getResponseBody(), e);
      }
    }
  }

  /** The directory a new volume for claim {@code namespace/claim} gets; write files there to seed it. */
  public Path volume(String namespace, String claim) {
    return root.resolve(namespace).resolve(claim);
  }

  /** The directory of PV {@code volumeName} when it is a volume of this driver. */
  public Optional<Path> directoryOf(String volumeName) throws ApiException {
    try {
      return directoryOf(core.readPersistentVolume(volumeName).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The directory of {@code volume} when it is a volume of this driver. */
  public static Optional<Path> directoryOf(V1PersistentVolume volume) {
    V1CSIPersistentVolumeSource csi = volume.getSpec() == null ? null : volume.getSpec().getCsi();
    if (csi == null || !NAME.equals(csi.getDriver())) {
      return Optional.empty();
    }
    return Optional.of(Path.of(csi.getVolumeHandle()));
  }

  /**
   * Holds provisioning for claims of {@code storageClass} until {@link #resume(String)}, as a slow
   * driver would: a test can then look at a claim that waits for its volume.
   */
  public void pause(String storageClass) {
    paused.add(storageClass);
  }

  /** Ends a {@link #pause(String)}. */
  public void resume(String storageClass) {
    paused.remove(storageClass);
  }

  private void poll() {
    try {
      Map<String, V1StorageClass> classes = storage.listStorageClass().execute().getItems().stream()
          .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
      List<V1PersistentVolume> existing = core.listPersistentVolume().execute().getItems();
      existing.forEach(this::deleteIfReleased);
      Set<String> volumes = existing.stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet());
      for (V1PersistentVolumeClaim claim : core.listPersistentVolumeClaimForAllNamespaces().execute().getItems()) {
        if (wantsVolume(claim, classes) && !volumes.contains(volumeName(claim))) {
          provision(claim, classes.get(claim.getSpec().getStorageClassName()));
        }
      }
    } catch (ApiException e) {
      LOG.warn("provisioner: API request failed: HTTP {} {}", e.getCode(), e.getResponseBody());
    } catch (RuntimeException e) {
      LOG.warn("provisioner: poll failed", e);
    }
  }

  /** A pending claim that the PV controller handed to this provisioner. */
  private boolean wantsVolume(V1PersistentVolumeClaim claim, Map<String, V1StorageClass> classes) {
    Map<String, String> annotations = Optional.ofNullable(claim.getMetadata().getAnnotations()).orElse(Map.of());
    boolean ours = NAME.equals(annotations.get(ANN_STORAGE_PROVISIONER)) || NAME.equals(annotations.get(ANN_BETA_STORAGE_PROVISIONER));
    String className = claim.getSpec().getStorageClassName();
    V1StorageClass storageClass = className == null ? null : classes.get(className);
    return ours
        && storageClass != null
        && NAME.equals(storageClass.getProvisioner())
        && !paused.contains(className)
        && (claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isBlank())
        && claim.getMetadata().getDeletionTimestamp() == null;
  }

  private static String volumeName(V1PersistentVolumeClaim claim) {
    return "pvc-" + claim.getMetadata().getUid();
  }

  private void provision(V1PersistentVolumeClaim claim, V1StorageClass storageClass) throws ApiException {
    String namespace = claim.getMetadata().getNamespace();
    String name = claim.getMetadata().getName();
    V1TypedObjectReference source = claim.getSpec().getDataSourceRef();
    Optional<ContentSource> contentSource = Optional.empty();
    if (source != null) {
      contentSource = contentSources.stream().filter(s -> s.handles(source)).findFirst();
      if (contentSource.isEmpty()) {
        return; // a volume populator's claim: it provisions through a claim of its own
      }
    }
    Path directory = volume(namespace, name);
    try {
      if (contentSource.isPresent()) {
        Optional<Path> from = contentSource.get().directory(claim, source);
        if (from.isEmpty()) {
          return; // e.g. the source PVC is not bound yet
        }
        Directories.copyInto(from.get(), directory);
      } else {
        Directories.createDirectories(directory);
      }
    } catch (ProvisioningException | IOException e) {
      failed(claim, e.getMessage());
      return;
    }
    V1PersistentVolume volume = persistentVolume(claim, storageClass, directory);
    try {
      core.createPersistentVolume(volume).execute();
    } catch (ApiException e) {
      if (e.getCode() == 409) {
        return;
      }
      throw e;
    }
    reported.remove(claim.getMetadata().getUid());
    LOG.info("provisioned {} for PVC {}/{} in {}", volume.getMetadata().getName(), namespace, name, directory);
    event(claim, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume " + volume.getMetadata().getName());
  }

  private V1PersistentVolume persistentVolume(V1PersistentVolumeClaim claim, V1StorageClass storageClass, Path directory) {
    Quantity size = Optional.ofNullable(claim.getSpec().getResources())
        .map(r -> r.getRequests())
        .map(r -> r.get("storage"))
        .orElse(Quantity.fromString("1Gi"));
    V1PersistentVolumeSpec spec = new V1PersistentVolumeSpec()
        .capacity(Map.of("storage", size))
        .accessModes(claim.getSpec().getAccessModes() == null ? List.of("ReadWriteOnce") : claim.getSpec().getAccessModes())
        .volumeMode("Filesystem")
        .storageClassName(storageClass.getMetadata().getName())
        .persistentVolumeReclaimPolicy(storageClass.getReclaimPolicy() == null ? "Delete" : storageClass.getReclaimPolicy())
        .claimRef(new V1ObjectReference()
            .apiVersion("v1")
            .kind("PersistentVolumeClaim")
            .namespace(claim.getMetadata().getNamespace())
            .name(claim.getMetadata().getName())
            .uid(claim.getMetadata().getUid()))
        .csi(new V1CSIPersistentVolumeSource().driver(NAME).volumeHandle(directory.toString()));
    String node = Optional.ofNullable(claim.getMetadata().getAnnotations()).map(a -> a.get(ANN_SELECTED_NODE)).orElse(null);
    if (node != null) {
      spec.nodeAffinity(new V1VolumeNodeAffinity().required(new V1NodeSelector().nodeSelectorTerms(List.of(
          new V1NodeSelectorTerm().matchExpressions(List.of(
              new V1NodeSelectorRequirement().key("kubernetes.io/hostname").operator("In").values(List.of(node))))))));
    }
    return new V1PersistentVolume()
        .metadata(new V1ObjectMeta().name(volumeName(claim)).annotations(Map.of(ANN_PROVISIONED_BY, NAME)))
        .spec(spec);
  }

  /** Deletes the directory, then the PV, of a Released volume of this driver with reclaim policy Delete. */
  private void deleteIfReleased(V1PersistentVolume volume) {
    Map<String, String> annotations = Optional.ofNullable(volume.getMetadata().getAnnotations()).orElse(Map.of());
    boolean released = volume.getStatus() != null && "Released".equals(volume.getStatus().getPhase());
    if (!released || !NAME.equals(annotations.get(ANN_PROVISIONED_BY)) || !"Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())
        || volume.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    Optional<Path> directory = directoryOf(volume);
    if (directory.isPresent() && Directories.isInside(root, directory.get())) {
      Directories.deleteRecursively(directory.get());
    }
    try {
      core.deletePersistentVolume(volume.getMetadata().getName()).execute();
      LOG.info("deleted released {} and its directory {}", volume.getMetadata().getName(), directory.orElse(null));
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        LOG.warn("cannot delete {}: HTTP {} {}", volume.getMetadata().getName(), e.getCode(), e.getResponseBody());
      }
    }
  }

  private void failed(V1PersistentVolumeClaim claim, String message) {
    if (!message.equals(reported.put(claim.getMetadata().getUid(), message))) {
      LOG.warn("cannot provision PVC {}/{}: {}", claim.getMetadata().getNamespace(), claim.getMetadata().getName(), message);
      event(claim, "Warning", "ProvisioningFailed", message);
    }
  }

  private void event(V1PersistentVolumeClaim claim, String type, String reason, String message) {
    events.record(new V1ObjectReference()
        .apiVersion("v1")
        .kind("PersistentVolumeClaim")
        .namespace(claim.getMetadata().getNamespace())
        .name(claim.getMetadata().getName())
        .uid(claim.getMetadata().getUid()), type, reason, message);
  }

  /** Stops provisioning and deleting. Volumes and their directories stay. */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}

package coffee.acupof.datamover.testkit.storage;

import coffee.acupof.datamover.testkit.storage.SnapshotApi.VolumeSnapshotClass;
import coffee.acupof.datamover.testkit.storage.SnapshotApi.VolumeSnapshotContent;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the snapshot part of the test kit's CSI driver ({@value LocalProvisioner#NAME}): what the
 * csi-snapshotter sidecar and the driver's CreateSnapshot/DeleteSnapshot do in a cluster. Everything
 * above it is the real snapshot-controller of the external-snapshotter (started by
 * {@code LocalCluster.snapshots()}): it chooses the class, creates and binds a VolumeSnapshotContent
 * per VolumeSnapshot, copies the content's status into the snapshot and deletes contents by their
 * deletion policy.
 *
 * <ul>
 *   <li>A VolumeSnapshotContent of this driver whose source is a volume ({@code spec.source.volumeHandle},
 *       a directory of {@link LocalProvisioner}) and that is not ready yet gets its snapshot: a copy
 *       of the volume's directory to {@code <root>/<content name>}, taken at once, so later changes
 *       of the volume are not in it. Its status then says {@code snapshotHandle} (the copy's
 *       directory), {@code creationTime}, {@code restoreSize} (the source PV's capacity) and
 *       {@code readyToUse: true}. A claim whose {@code dataSourceRef} is the VolumeSnapshot starts as a
 *       copy of that directory ({@link LocalProvisioner}).
 *   <li>For a class held with {@link #pause(String)}, the copy is taken but the content stays
 *       {@code readyToUse: false} until {@link #resume(String)}, as a driver that processes a cut
 *       snapshot (e.g. uploads it) before it can be used.
 *   <li>A content the snapshot-controller is deleting (annotation
 *       {@code snapshot.storage.kubernetes.io/volumesnapshot-being-deleted}) loses its copy when its
 *       deletion policy is {@code Delete}, then its finalizer, so it goes away; with {@code Retain}
 *       the copy stays.
 *   <li>A failure (no snapshot class, a source that is not a volume of this driver) is the content's
 *       {@code status.error}, which the snapshot-controller shows on the VolumeSnapshot, and a
 *       {@code SnapshotCreationFailed} Event; it is tried again.
 * </ul>
 *
 * <p>The copy is taken within one step, so the sidecar's "being created" annotation (kept on a
 * content while a driver's call is outstanding) is never needed. Pre-provisioned contents
 * ({@code spec.source.snapshotHandle}) are not served.
 *
 * <pre>{@code
 * LocalSnapshotter.ensureSnapshotClass(client, "snapshots", true);   // the default class of the driver
 * cluster.snapshots().pause("snapshots");                             // snapshots stay not ready
 * }</pre>
 */
public final class LocalSnapshotter implements AutoCloseable {
  /** The annotation that makes a VolumeSnapshotClass the default one of its driver. */
  public static final String DEFAULT_CLASS_ANNOTATION = SnapshotApi.ANN_DEFAULT_CLASS;

  private static final Logger LOG = LoggerFactory.getLogger(LocalSnapshotter.class);
  private static final long POLL_MILLIS = 300;

  private final SnapshotApi api;
  private final CoreV1Api core;
  private final Path root;
  private final Events events;
  private final Set<String> paused = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "local-snapshotter");
    thread.setDaemon(true);
    return thread;
  });

  private LocalSnapshotter(ApiClient client, Path root) {
    this.api = new SnapshotApi(client);
    this.core = new CoreV1Api(client);
    this.root = root.toAbsolutePath().normalize();
    this.events = new Events(core, "csi-snapshotter " + LocalProvisioner.NAME);
  }

  /**
   * Starts serving the VolumeSnapshotContents of the driver, with the snapshots' copies under
   * {@code root} (created when missing). The VolumeSnapshot CRDs must be installed.
   */
  public static LocalSnapshotter start(ApiClient client, Path root) {
    LocalSnapshotter snapshotter = new LocalSnapshotter(client, root);
    Directories.createDirectories(snapshotter.root);
    snapshotter.poller.scheduleWithFixedDelay(snapshotter::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return snapshotter;
  }

  /**
   * Creates a VolumeSnapshotClass {@code name} of the test kit's driver with deletion policy
   * {@code Delete}, the default class of the driver when {@code isDefault}, unless a class of that
   * name exists (as {@link LocalProvisioner#ensureStorageClass} does for storage classes).
   *
   * @throws IllegalStateException when the existing class of that name differs (another driver or
   *     default-ness), or when {@code isDefault} and another class is the driver's default already:
   *     with two, the snapshot-controller refuses every snapshot that names no class
   */
  public static void ensureSnapshotClass(ApiClient client, String name, boolean isDefault) {
    SnapshotApi api = new SnapshotApi(client);
    try {
      List<VolumeSnapshotClass> classes = api.classes();
      Optional<VolumeSnapshotClass> existing = classes.stream().filter(c -> c.metadata().getName().equals(name)).findFirst();
      if (existing.isPresent()) {
        checkSame(existing.get(), isDefault);
        return;
      }
      Optional<String> otherDefault = classes.stream()
          .filter(c -> c.isDefault() && LocalProvisioner.NAME.equals(c.driver()))
          .map(c -> c.metadata().getName())
          .findFirst();
      if (isDefault && otherDefault.isPresent()) {
        throw new IllegalStateException("VolumeSnapshotClass " + otherDefault.get() + " is the default class of "
            + LocalProvisioner.NAME + " already; use it, or make " + name + " not the default");
      }
      api.createClass(name, LocalProvisioner.NAME, "Delete", isDefault);
    } catch (ApiException e) {
      String hint = e.getCode() == 404 ? " (are the VolumeSnapshot CRDs installed? LocalCluster.snapshots() installs them)" : "";
      throw new IllegalStateException(
          "cannot create VolumeSnapshotClass " + name + ": HTTP " + e.getCode() + " " + e.getResponseBody() + hint, e);
    }
  }

  private static void checkSame(VolumeSnapshotClass existing, boolean isDefault) {
    if (!LocalProvisioner.NAME.equals(existing.driver()) || existing.isDefault() != isDefault) {
      throw new IllegalStateException("VolumeSnapshotClass " + existing.metadata().getName() + " exists with driver "
          + existing.driver() + (existing.isDefault() ? ", as the default class" : ", not the default class")
          + "; choose another name");
    }
  }

  /**
   * Holds snapshots of {@code snapshotClass} not ready to use until {@link #resume(String)}: their
   * copies are taken, but their contents (and so the VolumeSnapshots) say {@code readyToUse: false}.
   */
  public void pause(String snapshotClass) {
    paused.add(snapshotClass);
  }

  /** Ends a {@link #pause(String)}: the class's snapshots become ready to use. */
  public void resume(String snapshotClass) {
    paused.remove(snapshotClass);
  }

  /** The directory under which the snapshots' copies are. */
  public Path root() {
    return root;
  }

  /**
   * The directory holding the copy of VolumeSnapshot {@code namespace/name}, once it is bound to a
   * content of this driver whose snapshot was taken.
   */
  public Optional<Path> directoryOf(String namespace, String name) throws ApiException {
    Optional<String> contentName = api.snapshot(namespace, name).flatMap(SnapshotApi.VolumeSnapshot::contentName);
    if (contentName.isEmpty()) {
      return Optional.empty();
    }
    return api.content(contentName.get())
        .filter(c -> LocalProvisioner.NAME.equals(c.spec().driver()))
        .flatMap(VolumeSnapshotContent::snapshotHandle)
        .map(Path::of);
  }

  private void poll() {
    try {
      for (VolumeSnapshotContent content : api.contents()) {
        if (!LocalProvisioner.NAME.equals(content.spec().driver())) {
          continue;
        }
        if (content.isDeleting()) {
          if (content.hasAnnotation(SnapshotApi.ANN_BEING_DELETED)) {
            delete(content);
          }
        } else if (content.sourceVolumeHandle().isPresent() && !content.isReady()) {
          take(content);
        }
      }
    } catch (ApiException e) {
      if (!poller.isShutdown()) { // else close() interrupted the request
        LOG.warn("snapshotter: API request failed: HTTP {} {}", e.getCode(), e.getResponseBody());
      }
    } catch (RuntimeException e) {
      LOG.warn("snapshotter: poll failed", e);
    }
  }

  /** Takes the snapshot of a content, or marks a taken one ready once its class is not paused. */
  private void take(VolumeSnapshotContent content) throws ApiException {
    String className = content.spec().volumeSnapshotClassName();
    if (className == null) {
      failed(content, "failed to take snapshot " + content.name() + " without a snapshot class");
      return;
    }
    boolean ready = !paused.contains(className);
    if (content.snapshotHandle().isPresent()) {
      if (ready) {
        Map<String, Object> status = new HashMap<>();
        status.put("readyToUse", true);
        status.put("error", null);
        api.patchContentStatus(content.name(), status);
        LOG.info("snapshot {} is ready to use", content.snapshotHandle().get());
      }
      return;
    }
    Path source = Path.of(content.sourceVolumeHandle().orElseThrow());
    Optional<V1PersistentVolume> volume = volumeWithHandle(source.toString());
    if (volume.isEmpty() || !Files.isDirectory(source)) {
      failed(content, "the volume " + source + " is not a volume of " + LocalProvisioner.NAME);
      return;
    }
    Path copy = root.resolve(content.name());
    // A copy made by a step whose status write failed is this content's snapshot: keep it.
    if (!Files.isDirectory(copy)) {
      try {
        Directories.copyInto(source, copy);
      } catch (IOException e) {
        failed(content, "failed to take snapshot of the volume " + source + ": " + e.getMessage());
        return;
      }
    }
    Map<String, Object> status = new HashMap<>();
    status.put("snapshotHandle", copy.toString());
    status.put("readyToUse", ready);
    status.put("creationTime", nanosSinceEpoch(Instant.now()));
    status.put("restoreSize", capacityBytes(volume.get()).orElse(null));
    status.put("error", null);
    api.patchContentStatus(content.name(), status);
    LOG.info("took snapshot {} of {} for {} (ready to use: {})", copy, source, content.name(), ready);
  }

  /**
   * Deletes the copy of a content with deletion policy Delete and clears its status; the next step
   * (or this one, when there is nothing to delete) removes the finalizer.
   */
  private void delete(VolumeSnapshotContent content) throws ApiException {
    Optional<String> handle = content.snapshotHandle();
    if ("Delete".equals(content.spec().deletionPolicy()) && handle.isPresent()) {
      Path copy = Path.of(handle.get());
      if (Directories.isInside(root, copy)) {
        Directories.deleteRecursively(copy);
      } else {
        LOG.warn("not deleting {} of {}: it is outside {}", copy, content.name(), root);
      }
      Map<String, Object> status = new HashMap<>();
      status.put("snapshotHandle", null);
      status.put("readyToUse", null);
      status.put("creationTime", null);
      status.put("restoreSize", null);
      api.patchContentStatus(content.name(), status);
      LOG.info("deleted snapshot {} of {}", copy, content.name());
      return;
    }
    if (content.finalizers().contains(SnapshotApi.CONTENT_FINALIZER)) {
      List<String> rest = content.finalizers().stream().filter(f -> !f.equals(SnapshotApi.CONTENT_FINALIZER)).toList();
      try {
        api.setContentFinalizers(content, rest);
      } catch (ApiException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Changed meanwhile: the next step reads it again.
      }
    }
  }

  private void failed(VolumeSnapshotContent content, String message) throws ApiException {
    if (content.errorMessage().filter(message::equals).isPresent()) {
      return;
    }
    LOG.warn("cannot take snapshot {}: {}", content.name(), message);
    Map<String, Object> status = new HashMap<>();
    status.put("readyToUse", false);
    status.put("error", Map.of("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "message", message));
    api.patchContentStatus(content.name(), status);
    events.record(content.reference(), "Warning", "SnapshotCreationFailed", "Failed to create snapshot: " + message);
  }

  private Optional<V1PersistentVolume> volumeWithHandle(String handle) throws ApiException {
    return core.listPersistentVolume().execute().getItems().stream()
        .filter(v -> LocalProvisioner.directoryOf(v).map(Path::toString).filter(handle::equals).isPresent())
        .findFirst();
  }

  private static Optional<Long> capacityBytes(V1PersistentVolume volume) {
    return Optional.ofNullable(volume.getSpec().getCapacity())
        .map(c -> c.get("storage"))
        .map(q -> q.getNumber().longValue());
  }

  private static long nanosSinceEpoch(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }

  /** Stops serving. The snapshots' copies stay. */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}

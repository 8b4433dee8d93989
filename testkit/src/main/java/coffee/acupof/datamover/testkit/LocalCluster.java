package coffee.acupof.datamover.testkit;

import coffee.acupof.datamover.testkit.node.Kubelet;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import coffee.acupof.datamover.testkit.storage.LocalSnapshotter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest of a cluster around an {@link ApiServer}, so that Jobs get pods that run and PVCs get
 * volumes: the real kube-controller-manager with {@link #CONTROLLERS}, the real kube-scheduler, and
 * stand-ins for the two parts that need a machine of their own: the kubelet of one node
 * ({@link Kubelet}, node {@value Kubelet#DEFAULT_NODE}) and a CSI driver whose volumes are
 * directories ({@link LocalProvisioner}).
 *
 * <p>VolumeSnapshots work on request ({@link #snapshots()}): the VolumeSnapshot CRDs and the real
 * snapshot-controller of the external-snapshotter, with the driver's snapshot part played
 * ({@link LocalSnapshotter}). They are not started with the rest because most tests do not need them
 * and a test of a cluster without the CRDs must be able to run on the same server.
 *
 * <p>The kubelet runs no pod until a container runtime is chosen for its namespace
 * ({@link Kubelet#use}): a {@link LocalExecutor} or a {@link coffee.acupof.datamover.testkit.node.ScriptedRuntime}.
 *
 * <pre>{@code
 * LocalCluster cluster = LocalCluster.shared();        // around ApiServer.shared(), once per JVM
 * LocalProvisioner.ensureStorageClass(client, "standard", "Immediate");
 * cluster.kubelet().use(namespace, runtime);
 * LocalSnapshotter snapshots = cluster.snapshots();     // only for tests of VolumeSnapshots
 * LocalSnapshotter.ensureSnapshotClass(client, "snapshots", true);
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
  /**
   * The controllers of kube-controller-manager the operator's tests need: Jobs (pods, back-off, pod
   * failure policy, deadlines, status), PV binding, garbage collection, PVC and PV protection, and
   * namespace deletion.
   */
  public static final List<String> CONTROLLERS = List.of(
      "job", "persistentvolume-binder", "garbagecollector", "pvc-protection", "pv-protection", "namespace");

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static LocalCluster shared;

  private final ApiServer server;
  private final Path directory;
  private final ApiServer.ControllerManager controllerManager;
  private final ApiServer.Scheduler scheduler;
  private final LocalProvisioner provisioner;
  private final Kubelet kubelet;
  private ApiServer.SnapshotController snapshotController;
  private LocalSnapshotter snapshotter;

  private LocalCluster(ApiServer server, Path directory, ApiServer.ControllerManager controllerManager,
      ApiServer.Scheduler scheduler, LocalProvisioner provisioner, Kubelet kubelet) {
    this.server = server;
    this.directory = directory;
    this.controllerManager = controllerManager;
    this.scheduler = scheduler;
    this.provisioner = provisioner;
    this.kubelet = kubelet;
  }

  /**
   * Starts every part against {@code server}: volumes go under {@code directory/volumes}, the pods'
   * own directories under {@code directory/pods} (and, once {@link #snapshots()} is called, the
   * snapshots' copies under {@code directory/snapshots}).
   *
   * @throws IllegalStateException when a part does not start (the message says which, with its log)
   */
  public static LocalCluster start(ApiServer server, Path directory) {
    long started = System.nanoTime();
    ApiServer.ControllerManager controllerManager = server.startControllerManager(CONTROLLERS.toArray(String[]::new));
    ApiServer.Scheduler scheduler = null;
    LocalProvisioner provisioner = null;
    try {
      scheduler = server.startScheduler();
      provisioner = LocalProvisioner.start(server.adminClient(), directory.resolve("volumes"));
      Kubelet kubelet = Kubelet.start(server.adminClient(), Kubelet.DEFAULT_NODE, directory.resolve("pods"));
      LOG.info("cluster parts ready after {} ms: kube-controller-manager, kube-scheduler, provisioner, kubelet of {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), kubelet.nodeName());
      return new LocalCluster(server, directory, controllerManager, scheduler, provisioner, kubelet);
    } catch (RuntimeException e) {
      if (provisioner != null) {
        provisioner.close();
      }
      if (scheduler != null) {
        scheduler.close();
      }
      controllerManager.close();
      throw e;
    }
  }

  /**
   * The parts around {@link ApiServer#shared()}, started on first use (files in its work directory)
   * and stopped with it at JVM exit.
   */
  public static synchronized LocalCluster shared() {
    if (shared == null) {
      ApiServer server = ApiServer.shared();
      shared = start(server, server.workDir().resolve("cluster"));
    }
    return shared;
  }

  public ApiServer.ControllerManager controllerManager() {
    return controllerManager;
  }

  public ApiServer.Scheduler scheduler() {
    return scheduler;
  }

  public LocalProvisioner provisioner() {
    return provisioner;
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  /**
   * Makes VolumeSnapshots work, on the first call: installs the VolumeSnapshot, VolumeSnapshotContent
   * and VolumeSnapshotClass CRDs, starts the real snapshot-controller ({@link
   * ApiServer#startSnapshotController()}, built by {@code hack/snapshot-controller.sh} the first time on
   * a machine) and the played snapshot part of the driver, whose copies go under
   * {@code directory/snapshots}. Later calls return the same driver. Create a class with
   * {@link LocalSnapshotter#ensureSnapshotClass}.
   *
   * <p>The CRDs stay installed on the server: a test that needs a cluster without them uses an
   * {@link ApiServer} of its own.
   *
   * @throws IllegalStateException when the CRDs cannot be installed or the controller does not start
   *     (the message holds the end of its log)
   */
  public synchronized LocalSnapshotter snapshots() {
    if (snapshotter == null) {
      long started = System.nanoTime();
      server.applyYaml(SnapshotControllerAssets.crdDirectory());
      snapshotController = server.startSnapshotController();
      snapshotter = LocalSnapshotter.start(server.adminClient(), directory.resolve("snapshots"));
      LOG.info("VolumeSnapshots ready after {} ms: CRDs, snapshot-controller, snapshotter of {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), LocalProvisioner.NAME);
    }
    return snapshotter;
  }

  /** The snapshot-controller, once {@link #snapshots()} started it. */
  public synchronized Optional<ApiServer.SnapshotController> snapshotController() {
    return Optional.ofNullable(snapshotController);
  }

  /**
   * Stops the snapshot part (when started), the kubelet, the provisioner, the scheduler and the
   * controller manager, in that order.
   */
  @Override
  public synchronized void close() {
    if (snapshotter != null) {
      snapshotter.close();
      snapshotController.close();
    }
    kubelet.close();
    provisioner.close();
    scheduler.close();
    controllerManager.close();
  }
}

package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.runtime.phase.MissingInputs.Problem;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1StorageClass;
import java.util.List;
import java.util.Optional;

/**
 * Whether a VolumeSnapshot of a PVC can be taken with a class, checked before the snapshot is made so
 * that the run says what to fix instead of waiting for a snapshot the snapshot-controller refuses.
 */
public final class SnapshotClasses {
  private SnapshotClasses() {}

  /**
   * What stops a snapshot of {@code pvc}: a named class that does not exist or is of another driver than
   * the PVC's, or, without a name, not exactly one default class of the PVC's driver. The driver is the
   * provisioner of the PVC's storage class; without one, only the name is checked.
   *
   * @param className the class to use, or null for the driver's default
   * @param what the PVC in words, e.g. {@code source PVC data}
   */
  public static Optional<Problem> problem(Snapshots snapshots, ClusterView cluster, String className, V1PersistentVolumeClaim pvc, String what) {
    Optional<String> driver = Optional.ofNullable(pvc.getSpec().getStorageClassName())
        .flatMap(cluster::storageClass)
        .map(V1StorageClass::getProvisioner);
    if (className != null) {
      Optional<VolumeSnapshotClass> snapshotClass = snapshots.snapshotClass(className);
      if (snapshotClass.isEmpty()) {
        return Optional.of(new Problem("VolumeSnapshotClassNotFound",
            "VolumeSnapshotClass " + className + " not found (kubectl get volumesnapshotclass); create it or name another one in volumeSnapshotClassName"));
      }
      if (driver.isPresent() && !driver.get().equals(snapshotClass.get().getDriver())) {
        return Optional.of(new Problem("VolumeSnapshotClassMismatch",
            "VolumeSnapshotClass " + className + " is of driver " + snapshotClass.get().getDriver() + ", but " + what
                + " is a volume of " + driver.get() + "; name a class of " + driver.get()));
      }
      return Optional.empty();
    }
    if (driver.isEmpty()) {
      return Optional.empty();
    }
    List<String> defaults = snapshots.classes().stream()
        .filter(c -> driver.get().equals(c.getDriver()) && c.isDefault())
        .map(VolumeSnapshotClass::name)
        .sorted()
        .toList();
    if (defaults.size() == 1) {
      return Optional.empty();
    }
    String which = defaults.isEmpty()
        ? "no VolumeSnapshotClass of driver " + driver.get() + " (the driver of " + what + ") is marked as its default"
        : "VolumeSnapshotClasses " + String.join(", ", defaults) + " are all marked as the default of driver " + driver.get();
    return Optional.of(new Problem(defaults.isEmpty() ? "NoDefaultVolumeSnapshotClass" : "AmbiguousDefaultVolumeSnapshotClass",
        which + " (annotation " + VolumeSnapshotClass.DEFAULT_CLASS_ANNOTATION + ": \"true\"); set volumeSnapshotClassName"));
  }
}

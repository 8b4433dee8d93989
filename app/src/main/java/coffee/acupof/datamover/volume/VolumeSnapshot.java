package coffee.acupof.datamover.volume;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * A {@code VolumeSnapshot} of {@code snapshot.storage.k8s.io/v1} (the external-snapshotter's CRD), with
 * the fields the operator reads and writes: the source PVC and class in the spec; the bound content,
 * {@code readyToUse}, {@code restoreSize} and {@code error} the snapshot-controller writes to the status.
 */
public class VolumeSnapshot extends SnapshotObject {
  private Spec spec;
  private Status status;

  /** What to snapshot (a PVC) and with which class (the driver's default when absent). */
  public record Spec(Source source, String volumeSnapshotClassName) {}

  /** The PVC to snapshot (or, for a pre-provisioned snapshot, its content). */
  public record Source(String persistentVolumeClaimName, String volumeSnapshotContentName) {}

  /** What the snapshot-controller observed. */
  public record Status(
      String boundVolumeSnapshotContentName, OffsetDateTime creationTime, Boolean readyToUse, Quantity restoreSize, Error error) {}

  /** The last error of the driver or the controller. */
  public record Error(OffsetDateTime time, String message) {}

  public VolumeSnapshot() {
    super(SnapshotKinds.SNAPSHOT_KIND);
  }

  public VolumeSnapshot metadata(V1ObjectMeta value) {
    setMetadata(value);
    return this;
  }

  public Spec getSpec() {
    return spec;
  }

  public VolumeSnapshot spec(Spec value) {
    this.spec = value;
    return this;
  }

  public Status getStatus() {
    return status;
  }

  public VolumeSnapshot status(Status value) {
    this.status = value;
    return this;
  }

  /** Whether the snapshot can be used as a data source. */
  public boolean isReady() {
    return status != null && Boolean.TRUE.equals(status.readyToUse());
  }

  /** The error the controller or the driver reported, if any. */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(status).map(Status::error).map(Error::message).filter(m -> !m.isBlank());
  }

  /** The size a PVC restored from it needs at least. */
  public Optional<Quantity> restoreSize() {
    return Optional.ofNullable(status).map(Status::restoreSize);
  }

  /** The PVC it was taken of. */
  public Optional<String> sourcePvc() {
    return Optional.ofNullable(spec).map(Spec::source).map(Source::persistentVolumeClaimName);
  }
}

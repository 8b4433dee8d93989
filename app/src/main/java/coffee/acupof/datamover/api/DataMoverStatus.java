package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.RunStatus;
import coffee.acupof.datamover.runtime.phase.RunStatusBuilder;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Observed state of one run. {@code phase} and {@code restoredPvcName} are the old operator's
 * fields; the rest is new and optional. {@code restoredPvcName} names the temporary PVC the mover reads
 * (the clone, or the PVC from the snapshot; none for {@code Direct}), {@code volumeSnapshotName} the
 * VolumeSnapshot of a {@code Snapshot} run. Values are immutable; {@link #toBuilder()} makes a changed
 * copy.
 */
public record DataMoverStatus(
    String phase,
    String restoredPvcName,
    List<Condition> conditions,
    Long observedGeneration,
    OffsetDateTime startTime,
    OffsetDateTime phaseTransitionTime,
    OffsetDateTime completionTime,
    String jobName,
    Integer attempts,
    String pointInTime,
    String destination,
    Long bytesTransferred,
    Long filesTransferred,
    String reason,
    String message,
    String volumeSnapshotName)
    implements RunStatus<DataMoverStatus.Builder> {

  public static final DataMoverStatus EMPTY = new Builder().build();

  public Phase phaseValue() {
    return Phase.fromWireName(phase).orElse(Phase.NEW);
  }

  @Override
  public Builder toBuilder() {
    Builder b = new Builder();
    b.phase = phase;
    b.restoredPvcName = restoredPvcName;
    b.conditions = conditions;
    b.observedGeneration = observedGeneration;
    b.startTime = startTime;
    b.phaseTransitionTime = phaseTransitionTime;
    b.completionTime = completionTime;
    b.jobName = jobName;
    b.attempts = attempts;
    b.pointInTime = pointInTime;
    b.destination = destination;
    b.bytesTransferred = bytesTransferred;
    b.filesTransferred = filesTransferred;
    b.reason = reason;
    b.message = message;
    b.volumeSnapshotName = volumeSnapshotName;
    return b;
  }

  /** Mutable builder for {@link DataMoverStatus}; setters return the builder. */
  public static final class Builder implements RunStatusBuilder<Builder, DataMoverStatus> {
    private String phase;
    private String restoredPvcName;
    private List<Condition> conditions;
    private Long observedGeneration;
    private OffsetDateTime startTime;
    private OffsetDateTime phaseTransitionTime;
    private OffsetDateTime completionTime;
    private String jobName;
    private Integer attempts;
    private String pointInTime;
    private String destination;
    private Long bytesTransferred;
    private Long filesTransferred;
    private String reason;
    private String message;
    private String volumeSnapshotName;

    @Override
    public Builder phase(RunPhase<?> value) {
      this.phase = value.wireName();
      return this;
    }

    public Builder restoredPvcName(String value) {
      this.restoredPvcName = value;
      return this;
    }

    @Override
    public Builder conditions(List<Condition> value) {
      this.conditions = value == null ? null : List.copyOf(value);
      return this;
    }

    @Override
    public Builder observedGeneration(Long value) {
      this.observedGeneration = value;
      return this;
    }

    @Override
    public Builder startTime(OffsetDateTime value) {
      this.startTime = value;
      return this;
    }

    @Override
    public Builder phaseTransitionTime(OffsetDateTime value) {
      this.phaseTransitionTime = value;
      return this;
    }

    @Override
    public Builder completionTime(OffsetDateTime value) {
      this.completionTime = value;
      return this;
    }

    public Builder jobName(String value) {
      this.jobName = value;
      return this;
    }

    public Builder attempts(Integer value) {
      this.attempts = value;
      return this;
    }

    public Builder pointInTime(String value) {
      this.pointInTime = value;
      return this;
    }

    public Builder destination(String value) {
      this.destination = value;
      return this;
    }

    public Builder bytesTransferred(Long value) {
      this.bytesTransferred = value;
      return this;
    }

    public Builder filesTransferred(Long value) {
      this.filesTransferred = value;
      return this;
    }

    @Override
    public Builder reason(String value) {
      this.reason = value;
      return this;
    }

    @Override
    public Builder message(String value) {
      this.message = value;
      return this;
    }

    public Builder volumeSnapshotName(String value) {
      this.volumeSnapshotName = value;
      return this;
    }

    @Override
    public DataMoverStatus build() {
      return new DataMoverStatus(
          phase,
          restoredPvcName,
          conditions,
          observedGeneration,
          startTime,
          phaseTransitionTime,
          completionTime,
          jobName,
          attempts,
          pointInTime,
          destination,
          bytesTransferred,
          filesTransferred,
          reason,
          message,
          volumeSnapshotName);
    }
  }
}

package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.phase.RunPhase;
import coffee.acupof.datamover.runtime.phase.RunStatus;
import coffee.acupof.datamover.runtime.phase.RunStatusBuilder;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Observed state of one restore. Values are immutable; {@link #toBuilder()} makes a changed copy.
 *
 * @param targetPvc the PVC that receives the data (the template-created, existing or populated one)
 * @param primePvc volume populator: the PVC the data is restored into before its volume is handed over
 * @param volumeName the PersistentVolume that holds the restored data
 * @param pointInTime the point in time restored ({@code null} for a fixed-path backup)
 * @param source the exact remote location read ({@code remote:path[/point]}, never credentials)
 * @param verified whether the backup's completion marker was checked ({@code false} only with
 *     {@code allowUnverifiedBackup})
 */
public record DataMoverRestoreStatus(
    String phase,
    List<Condition> conditions,
    Long observedGeneration,
    OffsetDateTime startTime,
    OffsetDateTime phaseTransitionTime,
    OffsetDateTime completionTime,
    String targetPvc,
    String primePvc,
    String volumeName,
    String jobName,
    Integer attempts,
    String pointInTime,
    String source,
    Long bytesTransferred,
    Long filesTransferred,
    Boolean verified,
    String reason,
    String message)
    implements RunStatus<DataMoverRestoreStatus.Builder> {

  public static final DataMoverRestoreStatus EMPTY = new Builder().build();

  public RestorePhase phaseValue() {
    return RestorePhase.fromWireName(phase).orElse(RestorePhase.NEW);
  }

  @Override
  public Builder toBuilder() {
    Builder b = new Builder();
    b.phase = phase;
    b.conditions = conditions;
    b.observedGeneration = observedGeneration;
    b.startTime = startTime;
    b.phaseTransitionTime = phaseTransitionTime;
    b.completionTime = completionTime;
    b.targetPvc = targetPvc;
    b.primePvc = primePvc;
    b.volumeName = volumeName;
    b.jobName = jobName;
    b.attempts = attempts;
    b.pointInTime = pointInTime;
    b.source = source;
    b.bytesTransferred = bytesTransferred;
    b.filesTransferred = filesTransferred;
    b.verified = verified;
    b.reason = reason;
    b.message = message;
    return b;
  }

  /** Mutable builder for {@link DataMoverRestoreStatus}; setters return the builder. */
  public static final class Builder implements RunStatusBuilder<Builder, DataMoverRestoreStatus> {
    private String phase;
    private List<Condition> conditions;
    private Long observedGeneration;
    private OffsetDateTime startTime;
    private OffsetDateTime phaseTransitionTime;
    private OffsetDateTime completionTime;
    private String targetPvc;
    private String primePvc;
    private String volumeName;
    private String jobName;
    private Integer attempts;
    private String pointInTime;
    private String source;
    private Long bytesTransferred;
    private Long filesTransferred;
    private Boolean verified;
    private String reason;
    private String message;

    @Override
    public Builder phase(RunPhase<?> value) {
      this.phase = value.wireName();
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

    public Builder targetPvc(String value) {
      this.targetPvc = value;
      return this;
    }

    public Builder primePvc(String value) {
      this.primePvc = value;
      return this;
    }

    public Builder volumeName(String value) {
      this.volumeName = value;
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

    public Builder source(String value) {
      this.source = value;
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

    public Builder verified(Boolean value) {
      this.verified = value;
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

    @Override
    public DataMoverRestoreStatus build() {
      return new DataMoverRestoreStatus(
          phase,
          conditions,
          observedGeneration,
          startTime,
          phaseTransitionTime,
          completionTime,
          targetPvc,
          primePvc,
          volumeName,
          jobName,
          attempts,
          pointInTime,
          source,
          bytesTransferred,
          filesTransferred,
          verified,
          reason,
          message);
    }
  }
}

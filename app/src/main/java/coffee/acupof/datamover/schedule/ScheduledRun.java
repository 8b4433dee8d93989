package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.CustomResource;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.RunReference;
import coffee.acupof.datamover.runtime.ResourceKind;
import coffee.acupof.datamover.runtime.phase.RunPhase;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One run of a schedule as the schedule reads it, whatever the run is: a backup (DataMover) or, for a
 * schedule of restores, a DataMoverRestore. The schedule needs only this: its name, when it was
 * scheduled and by what, its phase, when it finished, the point in time it wrote or restored, and its
 * last message.
 *
 * @param object the run itself
 * @param kind its kind
 */
public record ScheduledRun(
    CustomResource<?, ?, ?> object, ResourceKind<?, ?> kind, RunPhase<?> phase, OffsetDateTime completionTime, String pointInTime, String message) {

  public static ScheduledRun of(DataMover run) {
    var status = run.getStatus();
    return new ScheduledRun(run, DataMoverApi.DATAMOVERS, status.phaseValue(), status.completionTime(), status.pointInTime(), status.message());
  }

  public static ScheduledRun of(DataMoverRestore run) {
    var status = run.getStatus();
    return new ScheduledRun(run, DataMoverApi.RESTORES, status.phaseValue(), status.completionTime(), status.pointInTime(), status.message());
  }

  /** The view of a run of either kind. */
  public static ScheduledRun of(CustomResource<?, ?, ?> run) {
    return switch (run) {
      case DataMover dm -> of(dm);
      case DataMoverRestore restore -> of(restore);
      default -> throw new IllegalArgumentException("a schedule has no runs of kind " + run.getKind());
    };
  }

  public String name() {
    return object.name();
  }

  /** The scheduled (or requested) time, from the run's annotation; its creation time without one. */
  public OffsetDateTime scheduledTime() {
    String value = annotations().get(ScheduleRuns.ANNOTATION_SCHEDULED_TIME);
    if (value != null) {
      try {
        return OffsetDateTime.parse(value);
      } catch (DateTimeParseException e) {
        // fall back to the creation time
      }
    }
    OffsetDateTime created = object.getMetadata().getCreationTimestamp();
    return created == null ? OffsetDateTime.MIN : created;
  }

  /** What started the run: {@code schedule}, {@code manual} or {@code creation}. */
  public String trigger() {
    return annotations().get(ScheduleRuns.ANNOTATION_TRIGGER);
  }

  public boolean active() {
    return !phase.isTerminal();
  }

  public boolean succeeded() {
    return phase.isTerminal() && !phase.isFailure();
  }

  public boolean failed() {
    return phase.isFailure();
  }

  public RunReference reference() {
    return new RunReference(kind.apiVersion(), kind.kind(), object.namespace(), name(), object.getMetadata().getUid());
  }

  private Map<String, String> annotations() {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}

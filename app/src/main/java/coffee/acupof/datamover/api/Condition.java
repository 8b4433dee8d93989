package coffee.acupof.datamover.api;

import java.time.OffsetDateTime;

/** A status condition in the Kubernetes (kstatus) convention. */
public record Condition(
    String type,
    String status,
    String reason,
    String message,
    Long observedGeneration,
    OffsetDateTime lastTransitionTime) {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  public boolean isTrue() {
    return "True".equals(status);
  }

  /** Same type, status, reason, message and generation: a change of any of these is a transition. */
  public boolean sameStateAs(Condition other) {
    return other != null
        && type.equals(other.type)
        && status.equals(other.status)
        && java.util.Objects.equals(reason, other.reason)
        && java.util.Objects.equals(message, other.message)
        && java.util.Objects.equals(observedGeneration, other.observedGeneration);
  }
}

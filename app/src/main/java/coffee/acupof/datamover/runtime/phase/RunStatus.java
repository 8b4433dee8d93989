package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.api.Condition;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The fields every run's status has (each kind's status record implements it, flat on the wire):
 * the phase, times, reason, message and the kstatus conditions.
 */
public interface RunStatus<B extends RunStatusBuilder<B, ?>> {
  String phase();

  OffsetDateTime startTime();

  OffsetDateTime phaseTransitionTime();

  OffsetDateTime completionTime();

  String reason();

  String message();

  List<Condition> conditions();

  /** A builder holding this status's values. */
  B toBuilder();

  default List<Condition> conditionsOrEmpty() {
    return conditions() == null ? List.of() : conditions();
  }

  default Optional<Condition> condition(String type) {
    return conditionsOrEmpty().stream().filter(c -> c.type().equals(type)).findFirst();
  }
}

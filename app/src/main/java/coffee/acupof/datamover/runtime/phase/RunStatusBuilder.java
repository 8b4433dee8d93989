package coffee.acupof.datamover.runtime.phase;

import coffee.acupof.datamover.api.Condition;
import java.time.OffsetDateTime;
import java.util.List;

/** The setters of {@link RunStatus} fields that the phase machine composes; kinds add their own. */
public interface RunStatusBuilder<B extends RunStatusBuilder<B, S>, S> {
  B phase(RunPhase<?> value);

  B observedGeneration(Long value);

  B startTime(OffsetDateTime value);

  B phaseTransitionTime(OffsetDateTime value);

  B completionTime(OffsetDateTime value);

  B reason(String value);

  B message(String value);

  B conditions(List<Condition> value);

  S build();
}

package coffee.acupof.datamover.runtime;

import coffee.acupof.datamover.api.Condition;
import java.time.OffsetDateTime;
import java.util.List;

/** Building kstatus conditions that keep their {@code lastTransitionTime} while their status stays. */
public final class Conditions {
  private Conditions() {}

  /**
   * The condition {@code type} with the given value; its lastTransitionTime is the old one's when
   * the old condition had the same status, else {@code now}.
   */
  public static Condition of(
      List<Condition> old, String type, boolean value, String reason, String message, long generation, OffsetDateTime now) {
    String status = value ? "True" : "False";
    OffsetDateTime since =
        old.stream()
            .filter(c -> c.type().equals(type) && status.equals(c.status()))
            .map(Condition::lastTransitionTime)
            .findFirst()
            .orElse(now);
    return new Condition(type, status, reason, message, generation, since);
  }
}

package coffee.acupof.datamover.schedule;

/**
 * A schedule that cannot run as written: {@link #reason()} is {@code InvalidSchedule} or
 * {@code InvalidTimeZone}, the message says what to fix.
 */
public class InvalidScheduleException extends IllegalArgumentException {
  private final String reason;

  public InvalidScheduleException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}

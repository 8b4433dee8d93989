package coffee.acupof.datamover.runtime;

/** An Event to record on the reconciled object once its status write succeeded. */
public record Notice(EventType type, String reason, String message) {

  public static Notice normal(String reason, String message) {
    return new Notice(EventType.NORMAL, reason, message);
  }

  public static Notice warning(String reason, String message) {
    return new Notice(EventType.WARNING, reason, message);
  }
}

package coffee.acupof.datamover.runtime;

/** The two Kubernetes Event types. */
public enum EventType {
  NORMAL("Normal"),
  WARNING("Warning");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The value of an Event's {@code type} field. */
  public String wireName() {
    return wireName;
  }
}

package coffee.acupof.datamover.bench.data;

/** The data-path scenarios of issue 12, in the order they run on one tree and server. */
public enum Scenario {
  /** Everything uploaded into an empty destination. */
  FULL("full", "full backup into an empty destination"),
  /** Nothing changed since the contender's previous backup. */
  NOOP("noop", "backup with nothing changed"),
  /** The timestamped mover's backup of an unchanged tree: a new point in time next to the previous one. */
  SECOND_TIMESTAMPED("second-timestamped", "second timestamped backup of an unchanged tree"),
  /** 1 % of the files rewritten since the contender's previous backup. */
  CHANGED("changed-1pct", "backup with 1 % of the files changed"),
  /** The backup restored into an empty directory. */
  RESTORE("restore", "restore into an empty volume");

  private final String id;
  private final String description;

  Scenario(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The name used in results and reports. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }
}

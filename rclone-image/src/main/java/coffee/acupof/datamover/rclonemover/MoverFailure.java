package coffee.acupof.datamover.rclonemover;

/**
 * Ends a run with one of the contract's exit codes and a one-line message that says what failed and what to fix.
 * Thrown anywhere below {@link Main}; {@link Main} turns it into the result.
 */
public final class MoverFailure extends RuntimeException {

  /** The exit codes of the contract (docs/mover-contract.md). */
  public enum Kind {
    INTERNAL(1, "internal error: "),
    CONFIGURATION(2, "configuration error: "),
    TRANSFER(3, "transfer error: "),
    REFUSED(4, "refused: ");

    private final int exitCode;
    private final String prefix;

    Kind(int exitCode, String prefix) {
      this.exitCode = exitCode;
      this.prefix = prefix;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  private MoverFailure(Kind kind, String message) {
    super(kind.prefix + message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static MoverFailure configuration(String message) {
    return new MoverFailure(Kind.CONFIGURATION, message);
  }

  public static MoverFailure transfer(String message) {
    return new MoverFailure(Kind.TRANSFER, message);
  }

  public static MoverFailure refused(String message) {
    return new MoverFailure(Kind.REFUSED, message);
  }

  public static MoverFailure internal(String message) {
    return new MoverFailure(Kind.INTERNAL, message);
  }

  /** The run was stopped by a signal: retryable, and no marker was written. */
  public static MoverFailure interrupted() {
    return transfer("interrupted by a signal; the run is incomplete (no marker was written), rerun it");
  }
}

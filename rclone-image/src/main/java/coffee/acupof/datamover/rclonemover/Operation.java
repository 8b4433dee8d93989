package coffee.acupof.datamover.rclonemover;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What one run does; the first argument or {@code MOVER_OPERATION} names it. */
public enum Operation {
  BACKUP, RESTORE, LIST, PRUNE, VERIFY;

  /** The name used in the environment, the arguments and the result. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Operation> parse(String raw) {
    String id = raw.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(op -> op.id().equals(id)).findFirst();
  }
}

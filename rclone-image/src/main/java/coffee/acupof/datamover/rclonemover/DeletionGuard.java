package coffee.acupof.datamover.rclonemover;

import java.util.Optional;

/**
 * The deletion guard of fixed-path backups: a run that would delete more than {@code MOVER_MAX_DELETE_PERCENT}
 * (default 50) of the files that this source's previous backup held is refused (exit 4), e.g. when the wrong
 * volume or a half-restored one is mounted.
 */
public final class DeletionGuard {

  private DeletionGuard() {}

  /**
   * The refusal message, when {@code deleting} of {@code previous} files is more than {@code maxPercent} percent.
   */
  public static Optional<String> check(long deleting, long previous, int maxPercent, String source, String where) {
    if (previous == 0 || deleting * 100 <= (long) maxPercent * previous) {
      return Optional.empty();
    }
    long percent = Math.round(deleting * 100.0 / previous);
    return Optional.of("this backup would delete " + deleting + " of the " + previous + " files (" + percent
        + "%) that the previous backup of source '" + source + "' holds at " + where + ", more than"
        + " MOVER_MAX_DELETE_PERCENT=" + maxPercent + "; nothing was written. Check that the right volume is mounted;"
        + " if the files were really removed, run once with MOVER_MAX_DELETE_PERCENT=100");
  }
}

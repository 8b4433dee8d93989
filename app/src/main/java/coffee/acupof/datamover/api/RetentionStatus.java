package coffee.acupof.datamover.api;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What retention last did: the newest point it pruned after ({@code prunedThrough}), the points the
 * last successful prune kept (newest first, at most {@link #LIST_LIMIT}) and deleted, and while prunes
 * fail, how many failed in a row and when the next attempt starts.
 */
public record RetentionStatus(
    String prunedThrough,
    OffsetDateTime lastPruneTime,
    String lastResult,
    String lastJobName,
    Integer retainedCount,
    List<String> retained,
    Integer deletedCount,
    List<String> deleted,
    Integer failures,
    OffsetDateTime nextAttemptTime,
    String message) {
  public static final int LIST_LIMIT = 30;
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  public int failuresOrZero() {
    return failures == null ? 0 : failures;
  }
}

package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.DataMover;
import java.util.ArrayList;
import java.util.List;

/**
 * Which finished runs a schedule no longer keeps: beyond the newest {@code successfulJobsHistoryLimit}
 * completed and the newest {@code failedJobsHistoryLimit} failed ones (by scheduled time). Deleting a
 * run deletes the DataMover and what it owns in the cluster, never its backup. A pure function.
 */
public final class HistoryLimits {
  private HistoryLimits() {}

  public static List<DataMover> excess(ScheduleRuns runs, int successfulLimit, int failedLimit) {
    List<DataMover> excess = new ArrayList<>();
    excess.addAll(beyond(runs.succeeded(), successfulLimit));
    excess.addAll(beyond(runs.failed(), failedLimit));
    return excess;
  }

  /** All but the newest {@code keep} of {@code runs} (oldest first). */
  private static List<DataMover> beyond(List<DataMover> runs, int keep) {
    int drop = runs.size() - Math.max(0, keep);
    return drop <= 0 ? List.of() : runs.subList(0, drop);
  }
}

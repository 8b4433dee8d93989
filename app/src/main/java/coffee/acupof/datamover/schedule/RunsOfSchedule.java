package coffee.acupof.datamover.schedule;

import coffee.acupof.datamover.api.CustomResource;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.cluster.ClusterOperations;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What a schedule stamps out, and the one place its kind matters to the schedule: backups (DataMovers,
 * {@link RunBuilder}) or, with {@code spec.restore}, restores (DataMoverRestores,
 * {@link RestoreRunBuilder}). {@link ScheduleLogic} reads, starts and deletes runs only through this.
 *
 * @param noun {@code Backup} or {@code Restore}: the start of the Event reasons and of the
 *     {@code Last<noun>Succeeded} condition
 */
public record RunsOfSchedule(
    String noun,
    Function<DataMoverSchedule, List<ScheduledRun>> cached,
    Builder builder,
    Creator creator,
    Deleter deleter) {

  /** Builds one run. */
  @FunctionalInterface
  public interface Builder {
    CustomResource<?, ?, ?> build(DataMoverSchedule schedule, String name, Instant scheduledTime, String trigger);
  }

  /** Creates a run; false when it already existed. */
  @FunctionalInterface
  public interface Creator {
    boolean create(CustomResource<?, ?, ?> run);
  }

  /** Deletes a run and what it owns; false when it was already gone. */
  @FunctionalInterface
  public interface Deleter {
    boolean delete(String namespace, String name);
  }

  /** Backups: DataMovers from {@code cache}. */
  public static RunsOfSchedule backups(Function<DataMoverSchedule, List<DataMover>> cache, ClusterOperations operations) {
    return new RunsOfSchedule(
        "Backup",
        s -> cache.apply(s).stream().map(ScheduledRun::of).toList(),
        RunBuilder::build,
        run -> operations.createDataMover((DataMover) run),
        operations::deleteDataMover);
  }

  /** Restores of a schedule with {@code spec.restore}: DataMoverRestores from {@code cache}. */
  public static RunsOfSchedule restores(Function<DataMoverSchedule, List<DataMoverRestore>> cache, ClusterOperations operations) {
    return new RunsOfSchedule(
        "Restore",
        s -> cache.apply(s).stream().map(ScheduledRun::of).toList(),
        RestoreRunBuilder::build,
        run -> operations.createRestore((DataMoverRestore) run),
        operations::deleteRestore);
  }

  /** The schedule's condition about its newest finished run: {@code LastBackupSucceeded} or {@code LastRestoreSucceeded}. */
  public String lastRunCondition() {
    return "Last" + noun + "Succeeded";
  }
}

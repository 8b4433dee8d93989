package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.TimedCommand;
import java.nio.file.Path;

/** One way of backing up and restoring a volume that the data-path benchmark compares with the others. */
public interface Contender {

  /** Short name used in results, e.g. {@code rclone-defaults}. */
  String name();

  /** The command and flags, for the report. */
  String description();

  /** True for the baseline every ratio is taken against: {@code rclone sync} with its defaults. */
  default boolean baseline() {
    return false;
  }

  /** True for the DataMover mover (the figures the project's targets are about). */
  default boolean ourMover() {
    return false;
  }

  /** True when every backup makes a new point-in-time folder, so older ones have to be cleared between runs. */
  default boolean timestamped() {
    return false;
  }

  /**
   * The backup of {@code source} to {@code destination}; {@code pointInTime} names the new folder of a
   * timestamped contender. {@code runDir} is the run's own scratch directory (logs, result, temp files).
   */
  TimedCommand backup(Destination destination, Path source, String pointInTime, Path runDir);

  /** The restore of the newest backup in {@code destination} into the empty directory {@code target}. */
  TimedCommand restore(Destination destination, Path target, Path runDir);
}

package coffee.acupof.datamover.api;

import java.time.OffsetDateTime;

/**
 * The newest run of a schedule: its DataMover, the time it was scheduled for, what started it
 * ({@code schedule}, {@code manual} or {@code creation}), its result ({@code Running},
 * {@code Succeeded} or {@code Failed}), its point in time and its last message.
 */
public record LastRun(String name, OffsetDateTime scheduledTime, String trigger, String result, String pointInTime, String message) {
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
}

package coffee.acupof.datamover.rclonemover;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * What every operation gets: the parsed settings and remote, rclone behind {@link Remote}, the private temp dir,
 * the output, the clock, and the report that becomes the result.
 *
 * @param rcloneVersion rclone's version, e.g. {@code v1.75.2} (asked for while the operation starts; {@code get}
 *     waits for the answer)
 */
public record Context(Settings settings, Env env, Remote remote, Path work, Output out, Clock clock, Report report,
    Supplier<String> rcloneVersion) {

  public RemoteConfig config() {
    return remote.config();
  }

  /** Now, as the markers record it ({@code 2026-01-02T03:04:05Z}). */
  public String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

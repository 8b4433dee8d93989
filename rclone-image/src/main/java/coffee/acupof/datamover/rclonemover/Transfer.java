package coffee.acupof.datamover.rclonemover;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code rclone copy} of an exact list of files, with progress lines, as backup and restore run it. rclone reports
 * every file it handled ({@code --dest-after}: name and size; {@code --combined}: transferred or already equal), so
 * no second listing is needed to know that each listed file arrived with its size.
 */
public final class Transfer {

  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  private Transfer() {}

  /**
   * What one copy did.
   *
   * @param arrived every file rclone found in the source and left at the destination: path → size (as a
   *     {@link Listing.Stored} value without hash); a listed file that is missing here was not copied
   * @param transferred the paths rclone copied (uploaded, downloaded or copied server-side); the others were
   *     already equal at the destination
   */
  public record Copied(Rclone.Stats stats, SortedFile arrived, SortedFile transferred) {}

  /**
   * Copies the files listed in {@code filesFrom0} from {@code source} to {@code target} (with {@code extraFlags},
   * e.g. {@code --links}); fails the run (exit 3) when rclone fails. The statistics are put into the report.
   */
  public static Copied copy(Context ctx, String source, String target, Path filesFrom0, String what,
      List<String> extraFlags) {
    Path after = ctx.remote().temp("dest-after.txt");
    Path combined = ctx.remote().temp("combined.txt");
    List<String> args = new ArrayList<>(List.of("copy", source, target, "--files-from0", filesFrom0.toString(),
        "--stats", ctx.settings().progressInterval().toSeconds() + "s", "--stats-log-level", "NOTICE",
        "--dest-after", after.toString(), "--format", "ps", "--separator", ";", "--files-only", "--absolute=false",
        "--csv=false", "--combined", combined.toString()));
    args.addAll(extraFlags);
    Rclone.Outcome outcome = ctx.remote().run(Rclone.Call.of(args).withProgress());
    ctx.report().transferred(outcome.stats());
    if (outcome.signalled()) {
      throw MoverFailure.interrupted();
    }
    if (!outcome.ok()) {
      ctx.report().errors(Math.max(1, outcome.stats().errors()));
      throw MoverFailure.transfer(what + " failed (rclone exit " + outcome.exitCode() + "): "
          + ctx.remote().explain(outcome));
    }
    SortedFile.Builder arrived = SortedFile.builder(ctx.work());
    readReport(after, line -> {
      int sep = line.lastIndexOf(';');
      if (sep <= 0 || !line.substring(sep + 1).matches("-?[0-9]+")) {
        return false;
      }
      arrived.add(line.substring(0, sep), line.substring(sep + 1) + " ");
      return true;
    });
    SortedFile.Builder transferred = SortedFile.builder(ctx.work());
    readReport(combined, line -> {
      if (line.length() < 3 || line.charAt(1) != ' ') {
        return false;
      }
      if (line.charAt(0) == '+' || line.charAt(0) == '*') {
        transferred.add(line.substring(2));
      }
      return true;
    });
    Volume.delete(after);
    Volume.delete(combined);
    return new Copied(outcome.stats(), arrived.build(), transferred.build());
  }

  /**
   * Feeds the lines of one of rclone's reports to {@code parser}, which returns false for a line that is not complete.
   * rclone encodes control characters in local names, so a line break inside a name is unexpected; should one come,
   * the line is joined with the next.
   */
  private static void readReport(Path file, Predicate<String> parser) {
    if (!Files.exists(file)) {
      return;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String pending = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String whole = pending == null ? line : pending + "\n" + line;
        pending = parser.test(whole) ? null : whole;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rclone's report " + file, e);
    }
  }

  /** A progress line for stdout (contract 1.1): bytes and files done and total, rate, ETA. */
  public static String progressLine(String operation, Rclone.Stats s) {
    JsonObject o = new JsonObject();
    o.addProperty("type", "progress");
    o.addProperty("operation", operation);
    o.addProperty("bytes", s.bytes());
    o.addProperty("totalBytes", s.totalBytes());
    o.addProperty("files", s.transfers());
    o.addProperty("totalFiles", s.totalTransfers());
    o.addProperty("checks", s.checks());
    o.addProperty("serverSideCopies", s.serverSideCopies());
    o.addProperty("bytesPerSecond", Math.round(s.speed()));
    if (s.etaSeconds().isPresent()) {
      o.addProperty("etaSeconds", s.etaSeconds().get());
    } else {
      o.add("etaSeconds", JsonNull.INSTANCE);
    }
    o.addProperty("elapsedSeconds", Math.round(s.elapsedSeconds()));
    return GSON.toJson(o);
  }
}

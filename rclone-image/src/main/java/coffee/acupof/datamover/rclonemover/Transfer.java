package coffee.acupof.datamover.rclonemover;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code rclone copy} of an exact list of files, with progress lines, as backup and restore run it. */
public final class Transfer {

  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  private Transfer() {}

  /**
   * Copies the files listed in {@code filesFrom0} from {@code source} to {@code target}; fails the run (exit 3)
   * when rclone fails. The statistics are put into the report.
   */
  public static Rclone.Stats copy(Context ctx, String source, String target, Path filesFrom0, String what,
      List<String> extraFlags) {
    List<String> args = new ArrayList<>(List.of("copy", source, target, "--files-from0", filesFrom0.toString(),
        "--links", "--stats", ctx.settings().progressInterval().toSeconds() + "s", "--stats-log-level", "NOTICE"));
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
    return outcome.stats();
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

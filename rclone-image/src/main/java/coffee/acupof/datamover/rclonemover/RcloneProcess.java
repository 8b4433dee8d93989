package coffee.acupof.datamover.rclonemover;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the rclone binary as a child process with the mover's flags ({@code --config}, {@code --use-json-log},
 * {@code --ca-cert}) and environment (the remote's {@code RCLONE_CONFIG_*} variables; {@code AWS_CA_BUNDLE}
 * removed). rclone's JSON log is read line by line: statistics become {@link Rclone.Stats} (and progress lines),
 * errors are collected, and every line is rendered as text on stderr with secrets masked.
 */
public final class RcloneProcess implements Rclone {

  /** Removed from rclone's environment: rclone fails with "unsupported transport" while it is set. */
  public static final String AWS_CA_BUNDLE = "AWS_CA_BUNDLE";

  private final Path binary;
  private final List<String> flags;
  private final Map<String, String> environment;
  private final Masker masker;
  private final PrintStream log;
  private final Consumer<Stats> progress;
  private final Termination termination;
  private final RcloneCalls calls;

  /**
   * @param binary the rclone executable
   * @param flags flags put before every command (config file, JSON log, CA bundle)
   * @param environment rclone's complete environment
   * @param calls where each call's command and duration are recorded
   */
  public RcloneProcess(Path binary, List<String> flags, Map<String, String> environment, Masker masker,
      PrintStream log, Consumer<Stats> progress, Termination termination, RcloneCalls calls) {
    this.binary = binary;
    this.flags = List.copyOf(flags);
    this.environment = Map.copyOf(environment);
    this.masker = masker;
    this.log = log;
    this.progress = progress;
    this.termination = termination;
    this.calls = calls;
  }

  /** The same binary and environment with other flags (the flags depend on the parsed configuration). */
  public RcloneProcess withFlags(List<String> newFlags, Map<String, String> newEnvironment) {
    return new RcloneProcess(binary, newFlags, newEnvironment, masker, log, progress, termination, calls);
  }

  @Override
  public Outcome run(Call call) {
    termination.check();
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(flags);
    command.addAll(call.args());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.environment().remove(AWS_CA_BUNDLE);
    builder.redirectOutput(call.stdout().map(Path::toFile).map(ProcessBuilder.Redirect::to)
        .orElse(ProcessBuilder.Redirect.DISCARD));
    if (call.stdin().isEmpty()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process;
    long started = System.nanoTime();
    try {
      process = builder.start();
    } catch (IOException e) {
      throw MoverFailure.internal("cannot start rclone (" + binary + "): " + e.getMessage());
    }
    termination.started(process);
    try {
      if (call.stdin().isPresent()) {
        try (OutputStream in = process.getOutputStream()) {
          in.write(call.stdin().get());
        } catch (IOException e) {
          // rclone exited early; its log says why
        }
      }
      LogReader reader = new LogReader(call.progress());
      try (BufferedReader err = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          reader.accept(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int code = waitFor(process);
      termination.check();
      return new Outcome(code, reader.stats, List.copyOf(reader.errors), reader.lastMessage);
    } finally {
      termination.finished(process);
      long took = System.nanoTime() - started;
      String name = call.args().stream().filter(a -> a.matches("[a-z][a-z0-9]*")).findFirst().orElse("rclone");
      calls.record(name, took);
    }
  }

  private static int waitFor(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw MoverFailure.interrupted();
    }
  }

  /** Parses rclone's JSON log lines. */
  private final class LogReader {
    private final boolean reportProgress;
    private final List<String> errors = new ArrayList<>();
    private Stats stats = Stats.NONE;
    private String lastMessage = "";

    LogReader(boolean reportProgress) {
      this.reportProgress = reportProgress;
    }

    void accept(String raw) {
      Optional<JsonObject> json = parse(raw);
      if (json.isEmpty() || !json.get().has("msg")) {
        if (!raw.isBlank()) {
          lastMessage = masker.mask(raw.strip());
          log.println(lastMessage);
        }
        return;
      }
      JsonObject line = json.get();
      String level = text(line, "level").orElse("log");
      String object = text(line, "object").filter(o -> !o.isEmpty()).map(o -> o + ": ").orElse("");
      String message = masker.mask(object + text(line, "msg").orElse("").strip().replace("\n", " | "));
      log.println("rclone " + level.toUpperCase(java.util.Locale.ROOT) + ": " + message);
      if (line.has("stats") && line.get("stats").isJsonObject()) {
        stats = toStats(line.getAsJsonObject("stats"));
        if (reportProgress) {
          progress.accept(stats);
        }
        return;
      }
      lastMessage = message;
      if (level.equals("error") || level.equals("critical")) {
        errors.add(message);
      }
    }
  }

  private static Optional<JsonObject> parse(String raw) {
    if (!raw.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonElement element = JsonParser.parseString(raw);
      return element.isJsonObject() ? Optional.of(element.getAsJsonObject()) : Optional.empty();
    } catch (JsonSyntaxException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonObject object, String key) {
    JsonElement value = object.get(key);
    return value == null || value.isJsonNull() ? Optional.empty() : Optional.of(value.getAsString());
  }

  static Stats toStats(JsonObject s) {
    JsonElement eta = s.get("eta");
    return new Stats(num(s, "bytes"), num(s, "totalBytes"), num(s, "transfers"), num(s, "totalTransfers"),
        num(s, "checks"), num(s, "errors"), num(s, "deletes"), num(s, "serverSideCopies"),
        num(s, "serverSideCopyBytes"), s.has("speed") ? s.get("speed").getAsDouble() : 0,
        eta == null || eta.isJsonNull() ? Optional.empty() : Optional.of(eta.getAsLong()),
        s.has("elapsedTime") ? s.get("elapsedTime").getAsDouble() : 0);
  }

  private static long num(JsonObject object, String key) {
    JsonElement value = object.get(key);
    return value == null || value.isJsonNull() ? 0 : (long) Math.floor(value.getAsDouble());
  }
}

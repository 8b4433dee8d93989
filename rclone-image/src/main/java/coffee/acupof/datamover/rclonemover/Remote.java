package coffee.acupof.datamover.rclonemover;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operations the mover needs from rclone, typed: listing, reading and writing small objects, deleting, copying.
 * Failures become {@link MoverFailure}s whose message says what to check, and whose exit code says whether another
 * attempt can help ({@link #failure}, {@link RemoteError}).
 */
public final class Remote {

  private final Rclone rclone;
  private final RemoteConfig config;
  private final Path work;
  private int calls;

  public Remote(Rclone rclone, RemoteConfig config, Path work) {
    this.rclone = rclone;
    this.config = config;
    this.work = work;
  }

  public RemoteConfig config() {
    return config;
  }

  /** A new file name in the private temp dir. */
  public Path temp(String name) {
    return work.resolve((++calls) + "-" + name);
  }

  public Path work() {
    return work;
  }

  /**
   * Checks that the remote answers and the credentials work before anything is written or deleted; for form (a)
   * that the bucket exists. Few retries on purpose: wrong credentials, CAs or endpoints fail in seconds.
   */
  public void preflight() {
    String target = config.bucket().orElse(config.base());
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("lsjson", "--stat", target, "--retries", "1",
        "--low-level-retries", "2"));
    if (outcome.ok()) {
      return;
    }
    if (outcome.notFound()) {
      if (config.bucket().isPresent()) {
        throw MoverFailure.configuration("bucket '" + config.bucket().get().substring("s3:".length())
            + "' does not exist at " + config.endpoint() + ": create it or fix BUCKET_NAME");
      }
      return;
    }
    throw failure("", outcome);
  }

  /** {@code rclone lsjson <spec> <flags>} into a temp file; empty when the location does not exist. */
  public Optional<Path> lsjson(String spec, String... flags) {
    Path out = temp("lsjson.json");
    List<String> args = new ArrayList<>(List.of("lsjson", spec, "--no-mimetype"));
    args.addAll(List.of(flags));
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of(args).to(out));
    if (outcome.ok()) {
      return Optional.of(out);
    }
    if (outcome.notFound()) {
      return Optional.empty();
    }
    throw failure("could not list " + config.display(displayPart(spec)), outcome);
  }

  /** The entries of a listing ({@link #lsjson}), none when the location does not exist. */
  public List<Listing.Entry> entries(String spec, String... flags) {
    List<Listing.Entry> entries = new ArrayList<>();
    lsjson(spec, flags).ifPresent(file -> Listing.read(file, entries::add));
    return entries;
  }

  /** Downloads a small object into a temp file ({@code count} bytes at most, when given). */
  public Path cat(String spec, Optional<Long> count) {
    Path out = temp("cat.json");
    List<String> args = new ArrayList<>(List.of("cat", spec));
    count.ifPresent(n -> args.addAll(List.of("--count", String.valueOf(n))));
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of(args).to(out));
    if (!outcome.ok()) {
      throw failure("could not read " + config.display(displayPart(spec)), outcome);
    }
    return out;
  }

  /** Uploads a local file to the object {@code spec}. */
  public void upload(Path local, String spec) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("copyto", local.toString(), spec));
    if (!outcome.ok()) {
      throw failure("could not write " + config.display(displayPart(spec)), outcome);
    }
  }

  /** Uploads a small text as the object {@code spec}. */
  public void write(String text, String spec) {
    Path file = temp("upload.json");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    upload(file, spec);
  }

  /** Renames one object (server-side where the backend can), or fails the run. */
  public void move(String from, String to, String what) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("moveto", from, to));
    if (!outcome.ok()) {
      throw failure("could not move " + what, outcome);
    }
  }

  /**
   * Uploads {@code file} as {@code dir/name} and then, only once it is written, deletes {@code dir/obsolete}, in one
   * rclone run: a sync of a folder holding just {@code name} that considers only these two names and deletes after
   * transferring (never after an error). Fails the run when the upload failed.
   *
   * @return false when the upload succeeded but {@code obsolete} could not be deleted
   */
  public boolean writeThenDelete(Path file, String dir, String name, String obsolete) {
    Path folder = temp("write");
    try {
      Files.createDirectories(folder);
      Files.copy(file, folder.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("sync", folder.toString(), dir, "--include", "/" + name,
        "--include", "/" + obsolete, "--delete-after", "--stats", "1h", "--stats-log-level", "NOTICE"));
    if (outcome.ok()) {
      return true;
    }
    if (outcome.stats().transfers() == 1) {
      return false;
    }
    throw failure("could not write " + config.display(displayPart(RemoteConfig.join(dir, name))), outcome);
  }

  /** Deletes one object; true when it is gone (also when it was not there). */
  public boolean deleteFile(String spec) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("deletefile", spec));
    return outcome.ok() || outcome.notFound();
  }

  /** Deletes one object or fails the run. */
  public void deleteFileOrFail(String spec, String what) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("deletefile", spec));
    if (!outcome.ok() && !outcome.notFound()) {
      throw failure("could not remove " + what, outcome);
    }
  }

  /** Deletes a folder and everything in it. */
  public void purge(String spec) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("purge", spec));
    if (!outcome.ok() && !outcome.notFound()) {
      throw failure("could not delete " + config.display(displayPart(spec)), outcome);
    }
  }

  /** Runs rclone (e.g. copy, delete, check) and returns what it reported. */
  public Rclone.Outcome run(Rclone.Call call) {
    return rclone.run(call);
  }

  /** Whether the remote under {@code spec} copies server-side (what {@code --copy-dest} needs). */
  public boolean copiesServerSide(String spec) {
    Path out = temp("features.json");
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("backend", "features", spec).to(out));
    if (!outcome.ok()) {
      return false;
    }
    try {
      JsonElement json = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8));
      JsonElement copy = json.getAsJsonObject().getAsJsonObject("Features").get("Copy");
      return copy != null && copy.getAsBoolean();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The path of {@code spec} below the root, for messages. */
  private String displayPart(String spec) {
    String root = config.root();
    if (spec.startsWith(root)) {
      String rest = spec.substring(root.length());
      return rest.startsWith("/") ? rest.substring(1) : rest;
    }
    return "";
  }

  /** Turns rclone's last error into a message that says what to fix ({@link RemoteError}). */
  public String explain(Rclone.Outcome outcome) {
    String e = outcome.lastError();
    if (e.length() > 400) {
      e = e.substring(0, 397) + "...";
    }
    return RemoteError.of(outcome.lastError()).hint(config) + " (rclone: " + (e.isEmpty() ? "no error message" : e)
        + ")";
  }

  /**
   * The failure of an rclone call: {@code what} failed, why and what to fix; a configuration error when another
   * attempt cannot help (rejected credentials, untrusted TLS certificate), else a transfer error.
   *
   * @param what what failed, e.g. {@code could not list s3:bucket/path}; empty for the explanation alone
   */
  public MoverFailure failure(String what, Rclone.Outcome outcome) {
    String message = (what.isEmpty() ? "" : what + ": ") + explain(outcome);
    return RemoteError.of(outcome.lastError()).configuration()
        ? MoverFailure.configuration(message)
        : MoverFailure.transfer(message);
  }
}

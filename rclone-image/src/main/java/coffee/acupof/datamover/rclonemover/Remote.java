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
 * Failures become {@link MoverFailure}s whose message says what to check ({@link #explain}).
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
    throw MoverFailure.transfer(explain(outcome));
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
    throw MoverFailure.transfer("could not list " + config.display(displayPart(spec)) + ": " + explain(outcome));
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
      throw MoverFailure.transfer("could not read " + config.display(displayPart(spec)) + ": " + explain(outcome));
    }
    return out;
  }

  /** Uploads a local file to the object {@code spec}. */
  public void upload(Path local, String spec) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("copyto", local.toString(), spec));
    if (!outcome.ok()) {
      throw MoverFailure.transfer("could not write " + config.display(displayPart(spec)) + ": " + explain(outcome));
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
      throw MoverFailure.transfer("could not move " + what + ": " + explain(outcome));
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
    throw MoverFailure.transfer("could not write " + config.display(displayPart(RemoteConfig.join(dir, name)))
        + ": " + explain(outcome));
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
      throw MoverFailure.transfer("could not remove " + what + ": " + explain(outcome));
    }
  }

  /** Deletes a folder and everything in it. */
  public void purge(String spec) {
    Rclone.Outcome outcome = rclone.run(Rclone.Call.of("purge", spec));
    if (!outcome.ok() && !outcome.notFound()) {
      throw MoverFailure.transfer("could not delete " + config.display(displayPart(spec)) + ": " + explain(outcome));
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

  /** Turns rclone's last error into a message that says what to fix. */
  public String explain(Rclone.Outcome outcome) {
    String e = outcome.lastError();
    if (e.length() > 400) {
      e = e.substring(0, 397) + "...";
    }
    String hint;
    if (containsAny(e, "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "Access Denied",
        "StatusCode: 401", "StatusCode: 403", "Unauthorized", "authentication failed")
        || (e.contains("permission denied") && e.contains("Forbidden"))) {
      hint = "the remote rejected the credentials: check " + config.hints().credentials();
    } else if (containsAny(e, "x509:", "certificate", "tls:")) {
      hint = "TLS verification of the endpoint failed: set MOVER_CA_BUNDLE to the CA bundle that signed its"
          + " certificate, or check TLS_HOST/BUCKET_PORT";
    } else if (e.contains("server gave HTTP response to HTTPS client")) {
      hint = "the endpoint speaks plain HTTP: set TLS_HOST=false (or use an http:// endpoint)";
    } else if (containsAny(e, "connection refused", "no such host", "i/o timeout", "dial tcp",
        "network is unreachable", "connection reset", "context deadline exceeded")) {
      hint = "cannot reach the remote endpoint: check " + config.hints().endpoint() + " and network policies";
    } else if (containsAny(e, "NoSuchBucket", "bucket does not exist", "directory not found")) {
      hint = "bucket or path not found: check " + config.hints().path();
    } else if (e.contains("no space left")) {
      hint = "no space left on the target volume";
    } else {
      hint = "see the rclone messages above";
    }
    return hint + " (rclone: " + (e.isEmpty() ? "no error message" : e) + ")";
  }

  private static boolean containsAny(String text, String... parts) {
    for (String part : parts) {
      if (text.contains(part)) {
        return true;
      }
    }
    return false;
  }
}

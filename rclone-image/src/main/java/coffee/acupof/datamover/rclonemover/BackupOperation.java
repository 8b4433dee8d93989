package coffee.acupof.datamover.rclonemover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code backup}: list the volume once, check that this run may write where it is going (a claimed point in time
 * folder, or no other source's files at a fixed path), copy exactly the listed files (unchanged ones server-side
 * from the newest complete point of the same source), verify them with one listing, delete only what this
 * source wrote before and no longer has, and write the marker last.
 */
public final class BackupOperation {

  private final Context ctx;
  private final Remote remote;
  private final RemoteConfig config;
  private final Settings settings;

  private BackupOperation(Context ctx) {
    this.ctx = ctx;
    this.remote = ctx.remote();
    this.config = ctx.config();
    this.settings = ctx.settings();
  }

  /** Runs a backup; its outcome is in the context's report, failures are thrown. */
  public static String run(Context ctx) {
    return new BackupOperation(ctx).backup();
  }

  /** Where this run writes: its own point in time folder, or this source's share of a fixed path. */
  interface Target {
    /** Checks ownership, records what this run may write, removes the old marker. Nothing else is written. */
    void prepare(Volume volume);

    /** Extra flags for the copy (e.g. {@code --copy-dest}). */
    List<String> copyFlags();

    /** Checks again after the copy; false when objects must not be deleted (others share the folder). */
    boolean beforeMarker(Path filesFrom0);

    /** The objects to delete, given the current files and the remote listing after the copy. */
    SortedFile deletions(SortedFile current, SortedFile remoteFiles);

    /** Removes the run's bookkeeping after the marker. */
    void finish();

    /** The marker below the root (e.g. {@code 2026-01-02-030405/.datamover/manifest.json}). */
    String markerSpecBelowRoot();

    String layout();
  }

  private String backup() {
    String started = ctx.now();
    Path data = settings.dataDir();
    if (!Files.isDirectory(data)) {
      throw MoverFailure.configuration("MOVER_DATA_DIR '" + data
          + "' does not exist or is not a directory: mount the volume there");
    }
    if (!Files.isReadable(data) || !Files.isExecutable(data)) {
      throw MoverFailure.configuration("MOVER_DATA_DIR '" + data + "' is not readable by this user: run the mover"
          + " as the volume's owner or as root");
    }
    Optional<String> point = settings.addTimestamp() ? Optional.of(settings.timestamp()) : Optional.empty();
    String sub = point.orElse("");
    String dest = config.at(sub);
    destination = config.display(sub);
    ctx.report().destination(config.display(sub)).pointInTime(point).put("runId", settings.runId());

    ctx.out().log("listing " + data);
    Volume volume = Volume.read(remote, data);
    if (volume.reservedEntry()) {
      throw MoverFailure.refused("MOVER_DATA_DIR contains a top-level '.datamover' entry, which is reserved for the"
          + " backup marker; rename it");
    }
    if (volume.fileCount() == 0 && !settings.allowEmptySource()) {
      throw MoverFailure.refused("MOVER_DATA_DIR '" + data + "' contains no files; refusing to back up an empty"
          + " volume (it may not be mounted). Set MOVER_ALLOW_EMPTY_SOURCE=true to back it up anyway");
    }
    remote.preflight();

    Target target = point.isPresent()
        ? new PointInTimeTarget(ctx, point.get())
        : new FixedPathTarget(ctx, started);
    target.prepare(volume);

    Path filesFrom = Volume.filesFrom(remote, volume.files());
    ctx.out().log("copying " + volume.fileCount() + " files (" + volume.byteCount() + " bytes) from " + data + " to "
        + config.display(sub));
    List<String> flags = new ArrayList<>(List.of("--metadata"));
    flags.addAll(target.copyFlags());
    Rclone.Stats stats = Transfer.copy(ctx, data.toString(), dest, filesFrom, "copy to " + config.display(sub),
        flags);
    ctx.report().put("uploadedBytes", Math.max(0, stats.bytes() - stats.serverSideCopyBytes()))
        .put("serverSideCopies", stats.serverSideCopies())
        .put("serverSideCopyBytes", stats.serverSideCopyBytes());

    // Claims first: a run that another one overtook must fail for that reason, whatever it finds below.
    boolean mayDelete = target.beforeMarker(filesFrom);
    // One listing of the destination: every file arrived with its size, and the hashes for the marker.
    SortedFile remoteFiles = listFiles(dest);
    SortedFile verified = verifyArrived(volume.files(), remoteFiles);
    if (mayDelete) {
      deleteObjects(dest, target.deletions(volume.files(), remoteFiles));
    }

    ctx.out().log("writing the completion marker");
    Path marker = remote.temp("manifest.json");
    Manifest.write(marker, new Manifest.Header(Manifest.KIND, settings.source(), Optional.of(settings.runId()),
        target.layout(), point, config.display(sub), config.encrypted(), started, ctx.now(), ctx.rcloneVersion(),
        volume.fileCount(), volume.byteCount(), volume.directories().size()), volume.directories(), verified);
    remote.upload(marker, config.at(target.markerSpecBelowRoot()));
    target.finish();

    String message = "backed up " + data + " to " + config.display(sub) + ": " + ctx.report().files()
        + " file(s), " + ctx.report().bytes() + " byte(s) transferred (" + stats.serverSideCopies()
        + " copied server-side), " + deletedCount + " deleted; the backup holds " + volume.fileCount() + " file(s), "
        + volume.byteCount() + " byte(s)";
    if (settings.verifyAfterBackup()) {
      message += "; " + VerifyOperation.verify(ctx, new RestorePoint(sub, point, target.markerSpecBelowRoot()));
    }
    return message;
  }

  private long deletedCount;
  private String destination = "";

  /**
   * Lists the files under {@code dest} (without the mover's own folder) into a sorted file: path → size and MD5.
   * A fixed path may hold other data; the listing is still one recursive listing.
   */
  private SortedFile listFiles(String dest) {
    SortedFile.Builder files = SortedFile.builder(remote.work());
    remote.lsjson(dest, "-R", "--files-only", "--no-modtime", "--hash", "--hash-type", "MD5",
            "--exclude", "/" + Catalog.META + "/**")
        .ifPresent(listing -> {
          Listing.read(listing, e -> files.add(e.path(), e.size() + " " + e.md5().orElse("")));
          Volume.delete(listing);
        });
    return files.build();
  }

  /**
   * Checks that every file of the volume is in the remote with its size (rclone skips files that vanished during
   * the copy); returns the marker's file entries with the MD5 the remote keeps.
   */
  private SortedFile verifyArrived(SortedFile local, SortedFile remoteFiles) {
    SortedFile.Builder verified = SortedFile.builder(remote.work());
    long[] bad = {0};
    String[] first = {null};
    try (SortedFile.Cursor a = local.cursor(); SortedFile.Cursor b = remoteFiles.cursor()) {
      Optional<SortedFile.Entry> x = a.next();
      Optional<SortedFile.Entry> y = b.next();
      while (x.isPresent()) {
        int c = y.isEmpty() ? -1 : x.get().key().compareTo(y.get().key());
        if (c > 0) {
          y = b.next();
          continue;
        }
        Manifest.File file = parseFile(x.get().value());
        if (c < 0) {
          bad[0]++;
          first[0] = first[0] == null ? file.path() : first[0];
        } else {
          String[] sizeAndHash = y.get().value().split(" ", 2);
          if (Long.parseLong(sizeAndHash[0]) != file.size()) {
            bad[0]++;
            first[0] = first[0] == null ? file.path() : first[0];
          }
          Optional<String> md5 = sizeAndHash.length > 1 && !sizeAndHash[1].isEmpty()
              ? Optional.of(sizeAndHash[1]) : Optional.empty();
          file = new Manifest.File(file.path(), file.size(), file.mode(), file.uid(), file.gid(), file.link(), md5);
          y = b.next();
        }
        verified.add(file.path(), file.json());
        x = a.next();
      }
    }
    if (bad[0] > 0) {
      ctx.report().errors(ctx.report().errors() + bad[0]);
      throw MoverFailure.transfer(bad[0] + " file(s) did not reach " + destination + " with the expected size (first: '"
          + first[0] + "'); the source changed during the backup? Rerun it");
    }
    return verified.build();
  }

  static Manifest.File parseFile(String json) {
    com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    return new Manifest.File(o.get("path").getAsString(), o.get("size").getAsLong(), opt(o, "mode"),
        optLong(o, "uid"), optLong(o, "gid"), o.has("link") && o.get("link").getAsBoolean(), opt(o, "md5"));
  }

  private static Optional<String> opt(com.google.gson.JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? Optional.of(o.get(key).getAsString()) : Optional.empty();
  }

  private static Optional<Long> optLong(com.google.gson.JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? Optional.of(o.get(key).getAsLong()) : Optional.empty();
  }

  private void deleteObjects(String dest, SortedFile deletions) {
    if (deletions.isEmpty()) {
      return;
    }
    ctx.out().log("deleting " + deletions.size() + " object(s) that are no longer in the source");
    Path list = Volume.filesFrom(remote, deletions);
    Rclone.Outcome outcome = remote.run(Rclone.Call.of("delete", dest, "--files-from0", list.toString(),
        "--stats", "1h", "--stats-log-level", "NOTICE"));
    if (!outcome.ok()) {
      throw MoverFailure.transfer("could not delete removed files from " + destination + ": "
          + remote.explain(outcome));
    }
    deletedCount = outcome.stats().deletes();
    ctx.report().deleted(deletedCount);
  }
}

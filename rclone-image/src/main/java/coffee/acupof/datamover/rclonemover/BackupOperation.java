package coffee.acupof.datamover.rclonemover;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /** A complete point whose files of the same content are copied server-side instead of uploaded. */
    Optional<String> copyDest();

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
    Rclone.Stats stats = copy(data, dest, volume, filesFrom, target.copyDest());
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

  /**
   * Copies the listed files. With an earlier point, files from {@value #SERVER_SIDE_COPY_MIN_SIZE} bytes on whose
   * size and MD5 match it are copied server-side ({@code --copy-dest --checksum}); smaller files are uploaded
   * (one request either way, and checking the earlier copy would cost two more).
   */
  private Rclone.Stats copy(Path data, String dest, Volume volume, Path filesFrom, Optional<String> copyDest) {
    String what = "copy to " + destination;
    if (copyDest.isEmpty()) {
      return Transfer.copy(ctx, data.toString(), dest, filesFrom, what, List.of("--metadata"));
    }
    Path small = Volume.filesFrom(remote, volume.files(),
        e -> Manifest.File.parse(e.value()).size() < SERVER_SIDE_COPY_MIN_SIZE);
    Path large = Volume.filesFrom(remote, volume.files(),
        e -> Manifest.File.parse(e.value()).size() >= SERVER_SIDE_COPY_MIN_SIZE);
    Rclone.Stats uploaded = Transfer.copy(ctx, data.toString(), dest, small, what, List.of("--metadata"));
    Rclone.Stats copied = Transfer.copy(ctx, data.toString(), dest, large, what,
        List.of("--metadata", "--copy-dest", config.at(copyDest.get()), "--checksum"));
    Rclone.Stats both = uploaded.plus(copied);
    ctx.report().transferred(both);
    return both;
  }

  /** Files from this size on are copied server-side from an earlier point when unchanged. */
  static final long SERVER_SIDE_COPY_MIN_SIZE = 1024 * 1024;

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
          Listing.read(listing, e -> files.add(e.path(), Listing.Stored.of(e).value()));
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
    local.leftJoin(remoteFiles, (mine, listed) -> {
      Manifest.File file = Manifest.File.parse(mine.value());
      Optional<Listing.Stored> stored = listed.map(e -> Listing.Stored.parse(e.value()));
      if (stored.isEmpty() || stored.get().size() != file.size()) {
        bad[0]++;
        first[0] = first[0] == null ? file.path() : first[0];
      }
      Optional<String> md5 = stored.flatMap(Listing.Stored::md5);
      verified.add(file.path(), new Manifest.File(file.path(), file.size(), file.mode(), file.uid(), file.gid(),
          file.link(), md5).json());
    });
    if (bad[0] > 0) {
      ctx.report().errors(ctx.report().errors() + bad[0]);
      throw MoverFailure.transfer(bad[0] + " file(s) did not reach " + destination + " with the expected size (first: '"
          + first[0] + "'); the source changed during the backup? Rerun it");
    }
    return verified.build();
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

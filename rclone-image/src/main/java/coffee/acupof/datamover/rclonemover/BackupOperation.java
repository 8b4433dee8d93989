package coffee.acupof.datamover.rclonemover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code backup}: list the volume once, check that this run may write where it is going (a claimed point in time
 * folder, or no other source's files at a fixed path), copy exactly the listed files (unchanged ones server-side
 * from the newest complete point of the same source), check from rclone's report of the copy that every file
 * arrived with its size, delete only what this source wrote before and no longer has, and write the marker last.
 */
public final class BackupOperation {

  /** Files from this size on are copied server-side from an earlier point when unchanged. */
  static final long SERVER_SIDE_COPY_MIN_SIZE = 1024 * 1024;

  private final Context ctx;
  private final Remote remote;
  private final RemoteConfig config;
  private final Settings settings;
  private long deletedCount;
  private String destination = "";

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

    /**
     * The files of this source's previous marker at this place (path → the marker's JSON of the file), whose
     * hashes still hold for files the copy left unchanged; empty when there is none.
     */
    SortedFile previousFiles();

    /** The objects to delete, given the current files. */
    SortedFile deletions(SortedFile current);

    /** Writes the marker, then removes the run's bookkeeping (in-flight record or claim). */
    void finish(Path marker);

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
    // The remote is checked while the volume is listed; a refusal of the volume is still reported first.
    Volume volume = Concurrently.alongside("preflight", remote::preflight, () -> checked(Volume.read(remote, data)));

    Target target = point.isPresent()
        ? new PointInTimeTarget(ctx, point.get())
        : new FixedPathTarget(ctx, started);
    target.prepare(volume);

    Path filesFrom = Volume.filesFrom(remote, volume.files());
    ctx.out().log("copying " + volume.fileCount() + " files (" + volume.byteCount() + " bytes) from " + data + " to "
        + config.display(sub));
    Transfer.Copied copied = copy(data, dest, volume, filesFrom, target.copyDest());
    Rclone.Stats stats = copied.stats();
    ctx.report().put("uploadedBytes", Math.max(0, stats.bytes() - stats.serverSideCopyBytes()))
        .put("serverSideCopies", stats.serverSideCopies())
        .put("serverSideCopyBytes", stats.serverSideCopyBytes());

    // Claims first: a run that another one overtook must fail for that reason, whatever it finds below.
    boolean mayDelete = target.beforeMarker(filesFrom);
    checkArrived(volume.files(), copied.arrived());
    SortedFile recorded = withHashes(dest, volume.files(), copied.transferred(), target.previousFiles());
    if (mayDelete) {
      deleteObjects(dest, target.deletions(volume.files()));
    }

    ctx.out().log("writing the completion marker");
    Path marker = remote.temp("manifest.json");
    Manifest.write(marker, new Manifest.Header(Manifest.KIND, settings.source(), Optional.of(settings.runId()),
        target.layout(), point, config.display(sub), config.encrypted(), started, ctx.now(),
        ctx.rcloneVersion().get(), volume.fileCount(), volume.byteCount(), volume.directories().size()),
        volume.directories(), recorded);
    target.finish(marker);

    String message = "backed up " + data + " to " + config.display(sub) + ": " + ctx.report().files()
        + " file(s), " + ctx.report().bytes() + " byte(s) transferred (" + stats.serverSideCopies()
        + " copied server-side), " + deletedCount + " deleted; the backup holds " + volume.fileCount() + " file(s), "
        + volume.byteCount() + " byte(s)";
    if (settings.verifyAfterBackup()) {
      message += "; " + VerifyOperation.verify(ctx,
          new RestorePoint(sub, point, Optional.of(target.markerSpecBelowRoot()), Optional.of(marker)));
    }
    return message;
  }

  /** Refuses a volume with the reserved top-level entry, and an empty one unless that is allowed. */
  private Volume checked(Volume volume) {
    if (volume.reservedEntry()) {
      throw MoverFailure.refused("MOVER_DATA_DIR contains a top-level '.datamover' entry, which is reserved for the"
          + " backup marker; rename it");
    }
    if (volume.fileCount() == 0 && !settings.allowEmptySource()) {
      throw MoverFailure.refused("MOVER_DATA_DIR '" + settings.dataDir() + "' contains no files; refusing to back up"
          + " an empty volume (it may not be mounted). Set MOVER_ALLOW_EMPTY_SOURCE=true to back it up anyway");
    }
    return volume;
  }

  /**
   * Copies the listed files. With an earlier point, files from {@value #SERVER_SIDE_COPY_MIN_SIZE} bytes on whose
   * size and MD5 match it are copied server-side ({@code --copy-dest --checksum}); smaller files are uploaded
   * (one request either way, and checking the earlier copy would cost two more).
   */
  private Transfer.Copied copy(Path data, String dest, Volume volume, Path filesFrom, Optional<String> copyDest) {
    String what = "copy to " + destination;
    if (copyDest.isEmpty()) {
      return Transfer.copy(ctx, data.toString(), dest, filesFrom, what, List.of("--links", "--metadata"));
    }
    Path small = Volume.filesFrom(remote, volume.files(),
        e -> Manifest.File.parse(e.value()).size() < SERVER_SIDE_COPY_MIN_SIZE);
    Path large = Volume.filesFrom(remote, volume.files(),
        e -> Manifest.File.parse(e.value()).size() >= SERVER_SIDE_COPY_MIN_SIZE);
    Transfer.Copied uploaded = Transfer.copy(ctx, data.toString(), dest, small, what, List.of("--links", "--metadata"));
    Transfer.Copied copied = Transfer.copy(ctx, data.toString(), dest, large, what,
        List.of("--links", "--metadata", "--copy-dest", config.at(copyDest.get()), "--checksum"));
    Rclone.Stats both = uploaded.stats().plus(copied.stats());
    ctx.report().transferred(both);
    return new Transfer.Copied(both,
        SortedFile.builder(remote.work()).addAll(uploaded.arrived()).addAll(copied.arrived()).build(),
        SortedFile.builder(remote.work()).addAll(uploaded.transferred()).addAll(copied.transferred()).build());
  }

  /**
   * Checks, from rclone's report of the copy, that every file of the volume is at the destination with the size
   * the volume listing gave (rclone skips files that vanished before it listed them, and fails a file that changes
   * while it is read).
   */
  private void checkArrived(SortedFile local, SortedFile arrived) {
    long[] bad = {0};
    String[] first = {null};
    local.leftJoin(arrived, (mine, reported) -> {
      long size = Manifest.File.parse(mine.value()).size();
      if (reported.isEmpty() || Listing.Stored.parse(reported.get().value()).size() != size) {
        bad[0]++;
        first[0] = first[0] == null ? mine.key() : first[0];
      }
    });
    if (bad[0] > 0) {
      ctx.report().errors(ctx.report().errors() + bad[0]);
      throw MoverFailure.transfer(bad[0] + " file(s) did not reach " + destination + " with the expected size (first: '"
          + first[0] + "'); the source changed during the backup? Rerun it");
    }
  }

  /**
   * The marker's file entries with the MD5 the remote keeps for each object: carried over from the previous marker
   * for files the copy left unchanged, looked up for the others (those it transferred) in one listing of just those
   * files. Encrypted remotes keep no hashes.
   */
  private SortedFile withHashes(String dest, SortedFile files, SortedFile transferred, SortedFile previous) {
    if (config.encrypted()) {
      return files;
    }
    SortedFile.Builder untouched = SortedFile.builder(remote.work());
    SortedFile.Builder lookUp = SortedFile.builder(remote.work()).addAll(transferred);
    files.leftJoin(transferred, (file, copied) -> {
      if (copied.isEmpty()) {
        untouched.add(file.key(), file.value());
      }
    });
    SortedFile.Builder hashes = SortedFile.builder(remote.work());
    untouched.build().leftJoin(previous, (file, before) -> {
      Optional<Manifest.File> earlier = before.map(e -> Manifest.File.parse(e.value()));
      if (earlier.isPresent() && earlier.get().md5().isPresent()
          && earlier.get().size() == Manifest.File.parse(file.value()).size()) {
        hashes.add(file.key(), earlier.get().md5().get());
      } else {
        lookUp.add(file.key());
      }
    });
    SortedFile missing = lookUp.build();
    if (!missing.isEmpty()) {
      Path list = Volume.filesFrom(remote, missing);
      List<String> flags = new java.util.ArrayList<>(List.of("-R", "--files-only", "--no-modtime", "--hash",
          "--hash-type", "MD5", "--files-from0", list.toString()));
      if (missing.size() * 10 <= files.size()) {
        flags.add("--no-traverse"); // a few files: one request per object instead of listing their directories
      }
      remote.lsjson(dest, flags.toArray(String[]::new)).ifPresent(listing -> Listing.read(listing,
          e -> e.md5().ifPresent(md5 -> hashes.add(e.path(), md5))));
    }
    SortedFile.Builder recorded = SortedFile.builder(remote.work());
    files.leftJoin(hashes.build(), (file, md5) -> {
      Manifest.File f = Manifest.File.parse(file.value());
      recorded.add(f.path(), new Manifest.File(f.path(), f.size(), f.mode(), f.uid(), f.gid(), f.link(),
          md5.map(SortedFile.Entry::value)).json());
    });
    return recorded.build();
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

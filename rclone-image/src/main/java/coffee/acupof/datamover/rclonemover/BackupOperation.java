package coffee.acupof.datamover.rclonemover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code backup}: list the volume once, check that this run may write where it is going (a claimed point in time
 * folder, or no other source's files at a fixed path), copy exactly the listed files (unchanged ones server-side
 * from the newest complete point of the same source), check from rclone's report of the copy that every file
 * arrived with its size, delete only what this source wrote before and no longer has, and write the marker last.
 */
public final class BackupOperation {

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

  /**
   * An earlier marker's files and the place below the root where its objects are ({@code ""}: the fixed path).
   */
  record Baseline(String sub, SortedFile files) {}

  /** Where this run writes: its own point in time folder, or this source's share of a fixed path. */
  interface Target {
    /**
     * Starts the reads that {@link #prepare} needs, on other threads, while the volume is listed and the remote
     * checked: each is a round trip that would otherwise wait for both. Nothing is written.
     */
    void start();

    /** Checks ownership, records what this run may write, removes the old marker. Nothing else is written. */
    void prepare(Volume volume);

    /** A complete point whose files of the same content are copied server-side instead of uploaded. */
    Optional<String> copyDest();

    /**
     * The earlier marker of this source that unchanged files are recognised by ({@link Unchanged}): the previous
     * backup at a fixed path, the {@link #copyDest()} point of a timestamped one; empty when there is none.
     */
    Optional<Baseline> baseline();

    /** Whether the destination held nothing of this run before it started (no object needs checking there). */
    boolean fresh();

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
    // A fixed path's objects are listed while the volume is: the two listings take most of a backup with few changes.
    Optional<Concurrently.Pending<SortedFile>> listingHere = point.isEmpty()
        ? Optional.of(Concurrently.start("listing", () -> stored(""))) : Optional.empty();
    Target target = point.isPresent()
        ? new PointInTimeTarget(ctx, point.get())
        : new FixedPathTarget(ctx, started);
    target.start();
    // The remote is checked while the volume is listed; a refusal of the volume is still reported first, and a
    // failure of the check before one of the reads started above.
    Volume volume = Concurrently.alongside("preflight", remote::preflight, () -> checked(Volume.read(remote, data)));

    target.prepare(volume);
    SortedFile listedHere = listingHere.map(Concurrently.Pending::get).orElse(null);
    Unchanged.Split split = target.baseline()
        .map(b -> Unchanged.split(remote.work(), volume.files(), b.files(),
            b.sub().isEmpty() && listedHere != null ? listedHere : stored(b.sub())))
        .orElseGet(() -> listedHere != null
            ? Unchanged.split(remote.work(), volume.files(), SortedFile.empty(remote.work()), listedHere)
            : Unchanged.Split.none(remote.work(), volume.files()));

    Path filesFrom = Volume.filesFrom(remote, volume.files());
    ctx.out().log("copying " + volume.fileCount() + " files (" + volume.byteCount() + " bytes) from " + data + " to "
        + config.display(sub) + (split.unchanged().isEmpty() ? "" : "; " + split.unchanged().size()
        + " of them are unchanged since the backup of " + target.baseline().map(Baseline::sub)
        .filter(b -> !b.isEmpty()).map(config::display).orElse("this source here")));
    Transfer.Copied copied = copy(data, dest, volume, split, target);
    Rclone.Stats stats = copied.stats();
    ctx.report().put("uploadedBytes", Math.max(0, stats.bytes() - stats.serverSideCopyBytes()))
        .put("serverSideCopies", stats.serverSideCopies())
        .put("serverSideCopyBytes", stats.serverSideCopyBytes());

    // Claims first: a run that another one overtook must fail for that reason, whatever it finds below.
    boolean mayDelete = target.beforeMarker(filesFrom);
    checkArrived(volume.files(), copied.arrived());
    // Uploads are not read back one by one (RCLONE_S3_NO_HEAD): one listing of what was written confirms each size.
    SortedFile written = listWritten(dest, copied.transferred(), volume.fileCount());
    checkArrived(only(volume.files(), copied.transferred()), written);
    SortedFile recorded = withHashes(dest, volume.files(), copied.transferred(), target.previousFiles(),
        split.unchanged(), written);
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
   * The objects at {@code sub} below the root, with their size and MD5 (one listing; the marker folder left out):
   * path → {@link Listing.Stored#value()}.
   */
  private SortedFile stored(String sub) {
    return objects(config.at(sub), List.of("-R", "--files-only", "--no-modtime", "--hash", "--hash-type", "MD5",
        "--exclude", "/" + Catalog.META + "/**"));
  }

  /** One listing of {@code spec} with {@code flags}: path → {@link Listing.Stored#value()}. */
  private SortedFile objects(String spec, List<String> flags) {
    SortedFile.Builder objects = SortedFile.builder(remote.work());
    remote.lsjson(spec, flags.toArray(String[]::new)).ifPresent(listing -> Listing.read(listing,
        e -> objects.add(e.path(), Listing.Stored.of(e).value())));
    return objects.build();
  }

  /**
   * Copies the volume's files. Files {@link Unchanged} since the baseline are not read again: at a fixed path they
   * are already there; into a new point they are copied server-side from the baseline point. The others are copied
   * from the volume: into a new point with {@code --copy-dest --checksum}, so those whose size and MD5 match the
   * earlier point are still copied server-side; at a fixed path, those known to differ without looking at the
   * destination, those the baseline cannot tell about as rclone compares them (size and time). With {@code MOVER_SERVER_SIDE_COPY_MIN_SIZE}, files
   * below that size are uploaded instead of copied server-side (on a fast local store, one upload beats a check and
   * a copy).
   */
  private Transfer.Copied copy(Path data, String dest, Volume volume, Unchanged.Split split, Target target) {
    List<String> plain = List.of("--links", "--metadata");
    Optional<String> copyDest = target.copyDest();
    long minSize = settings.serverSideCopyMinSize();
    List<Transfer.Copied> parts = new ArrayList<>();
    SortedFile.Builder same = SortedFile.builder(remote.work());
    SortedFile.Builder fromVolume = SortedFile.builder(remote.work()).addAll(split.changed()).addAll(split.unknown());
    if (copyDest.isPresent()) {
      split.unchanged().forEach(e -> (Manifest.File.parse(e.value()).size() >= minSize ? same : fromVolume)
          .add(e.key(), e.value()));
    }
    copyIfAny(parts, same.build(), config.at(copyDest.orElse("")), dest,
        target.fresh() ? List.of("--no-check-dest") : List.of());
    if (copyDest.isEmpty()) {
      // Known to differ (or to be missing): uploaded without looking at the destination first.
      copyIfAny(parts, target.fresh() ? fromVolume.build() : split.changed(), data.toString(), dest,
          plus(plain, "--no-check-dest"));
      if (!target.fresh()) {
        // A few files: look each one up instead of listing their directories.
        copyIfAny(parts, split.unknown(), data.toString(), dest,
            split.unknown().size() * 10 <= volume.fileCount() ? plus(plain, "--no-traverse") : plain);
      }
    } else {
      SortedFile rest = fromVolume.build();
      SortedFile.Builder small = SortedFile.builder(remote.work());
      SortedFile.Builder large = SortedFile.builder(remote.work());
      rest.forEach(e -> (Manifest.File.parse(e.value()).size() < minSize ? small : large).add(e.key(), e.value()));
      copyIfAny(parts, small.build(), data.toString(), dest, plain);
      copyIfAny(parts, large.build(), data.toString(), dest,
          plus(plain, "--copy-dest", config.at(copyDest.get()), "--checksum"));
    }
    Rclone.Stats all = parts.stream().map(Transfer.Copied::stats).reduce(Rclone.Stats.NONE, Rclone.Stats::plus);
    ctx.report().transferred(all);
    SortedFile.Builder arrived = SortedFile.builder(remote.work());
    SortedFile.Builder transferred = SortedFile.builder(remote.work());
    parts.forEach(p -> {
      arrived.addAll(p.arrived());
      transferred.addAll(p.transferred());
    });
    if (copyDest.isEmpty()) {
      // Already at the fixed path with their size and MD5, as the listing showed.
      split.unchanged().forEach(e -> {
        Manifest.File f = Manifest.File.parse(e.value());
        arrived.add(e.key(), new Listing.Stored(f.size(), f.md5()).value());
      });
    }
    return new Transfer.Copied(all, arrived.build(), transferred.build());
  }

  /** One {@link Transfer#copy} of {@code files} from {@code source}, when there are any. */
  private void copyIfAny(List<Transfer.Copied> parts, SortedFile files, String source, String dest,
      List<String> flags) {
    if (!files.isEmpty()) {
      parts.add(Transfer.copy(ctx, source, dest, Volume.filesFrom(remote, files), "copy to " + destination, flags));
    }
  }

  private static List<String> plus(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(List.of(more));
    return all;
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
   * The objects this run wrote (uploaded or copied server-side), as the server lists them: path → size and the MD5
   * it keeps (not with crypt), from one listing of just those files ({@code --no-traverse}, one request per object,
   * when they are at most a tenth of the volume).
   */
  private SortedFile listWritten(String dest, SortedFile transferred, long fileCount) {
    if (transferred.isEmpty()) {
      return SortedFile.empty(remote.work());
    }
    List<String> flags = new ArrayList<>(List.of("-R", "--files-only", "--no-modtime", "--files-from0",
        Volume.filesFrom(remote, transferred).toString()));
    if (!config.encrypted()) {
      flags.addAll(List.of("--hash", "--hash-type", "MD5"));
    }
    if (transferred.size() * 10 <= fileCount) {
      flags.add("--no-traverse");
    }
    return objects(dest, flags);
  }

  /** The entries of {@code files} whose path is in {@code paths}. */
  private SortedFile only(SortedFile files, SortedFile paths) {
    SortedFile.Builder kept = SortedFile.builder(remote.work());
    files.leftJoin(paths, (file, listed) -> {
      if (listed.isPresent()) {
        kept.add(file.key(), file.value());
      }
    });
    return kept.build();
  }

  /**
   * The marker's file entries with the MD5 the remote keeps for each object: known for files {@link Unchanged} since
   * the baseline, as listed for those this run wrote, carried over from the previous marker for other files the
   * copy left unchanged, looked up for the rest in one listing of just those files. Encrypted remotes keep no hashes.
   */
  private SortedFile withHashes(String dest, SortedFile files, SortedFile transferred, SortedFile previous,
      SortedFile known, SortedFile written) {
    if (config.encrypted()) {
      return files;
    }
    SortedFile.Builder hashes = SortedFile.builder(remote.work());
    SortedFile.Builder unknown = SortedFile.builder(remote.work());
    files.leftJoin(known, (file, same) -> {
      Optional<String> md5 = same.flatMap(e -> Manifest.File.parse(e.value()).md5());
      if (md5.isPresent()) {
        hashes.add(file.key(), md5.get());
      } else {
        unknown.add(file.key(), file.value());
      }
    });
    SortedFile.Builder untouched = SortedFile.builder(remote.work());
    unknown.build().leftJoin(transferred, (file, copied) -> {
      if (copied.isEmpty()) {
        untouched.add(file.key(), file.value());
      }
    });
    written.forEach(e -> Listing.Stored.parse(e.value()).md5().ifPresent(md5 -> hashes.add(e.key(), md5)));
    SortedFile.Builder lookUp = SortedFile.builder(remote.work());
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
      listWritten(dest, missing, files.size()).forEach(e -> Listing.Stored.parse(e.value()).md5()
          .ifPresent(md5 -> hashes.add(e.key(), md5)));
    }
    SortedFile.Builder recorded = SortedFile.builder(remote.work());
    files.leftJoin(hashes.build(), (file, md5) ->
        recorded.add(file.key(), Manifest.File.parse(file.value()).withMd5(md5.map(SortedFile.Entry::value)).json()));
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
      throw remote.failure("could not delete removed files from " + destination, outcome);
    }
    deletedCount = outcome.stats().deletes();
    ctx.report().deleted(deletedCount);
  }
}

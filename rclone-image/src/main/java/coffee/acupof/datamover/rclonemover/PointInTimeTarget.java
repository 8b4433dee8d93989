package coffee.acupof.datamover.rclonemover;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A backup into its own point in time folder, claimed first ({@link Claims}). The folder belongs to the run that
 * claims it: a retry of the same run (same run id) reuses it and makes it match the source; a folder of another
 * run or source, or with data no claim covers, is refused before anything is written. Files whose content (size
 * and MD5) equals the newest complete point of the same source are copied server-side (see
 * {@link BackupOperation}); not for encrypted remotes, which keep no hashes.
 */
final class PointInTimeTarget implements BackupOperation.Target {

  private final Context ctx;
  private final Remote remote;
  private final String point;
  private final String myKey;
  private final String folder;
  private boolean dataPresent;
  private Optional<BackupOperation.Baseline> baseline = Optional.empty();
  private Concurrently.Pending<Optional<BackupOperation.Baseline>> lookup;

  PointInTimeTarget(Context ctx, String point) {
    this.ctx = ctx;
    this.remote = ctx.remote();
    this.point = point;
    this.myKey = Settings.safeId(ctx.settings().runId());
    this.folder = ctx.config().display(point);
  }

  private String claimsDir() {
    return point + "/" + Catalog.META + "/" + Catalog.CLAIMS;
  }

  private String claimObject() {
    return ctx.config().at(claimsDir() + "/" + myKey + ".json");
  }

  @Override
  public void start() {
    // Reads only: looked up while the volume is listed and the folder claimed.
    lookup = Concurrently.start("copy-dest", () -> previousPoint().map(p -> new BackupOperation.Baseline(p,
        markerFiles(p))));
  }

  @Override
  public void prepare(Volume volume) {
    try {
      claim();
    } catch (RuntimeException | Error e) {
      lookup.orElse(Optional.empty()); // the claim's failure is the one reported
      throw e;
    }
    baseline = lookup.get();
    baseline.ifPresent(b -> ctx.out().log("unchanged files are copied server-side from "
        + ctx.config().display(b.sub())));
  }

  /** Claims the folder (issue 7's protocol) and removes a marker that an earlier attempt of this run wrote. */
  private void claim() {
    // Streamed: the top level of a point may hold as many entries as the volume's root directory.
    boolean[] found = new boolean[2];
    remote.lsjson(ctx.config().at(point), "--max-depth", "1").ifPresent(listing -> Listing.read(listing, e -> {
      found[e.path().equals(Catalog.META) ? 1 : 0] = true;
    }));
    dataPresent = found[0];
    boolean hasMeta = found[1];
    List<Claims.Claim> claims = hasMeta ? claims(true) : List.of();
    boolean hasMarker = false;
    Optional<Manifest.Header> marker = Optional.empty();
    if (hasMeta) {
      hasMarker = remote.entries(ctx.config().at(point + "/" + Catalog.META), "--files-only", "--max-depth", "1")
          .stream().anyMatch(e -> e.path().equals(Catalog.MARKER));
      if (hasMarker) {
        marker = Manifest.readHeader(remote.cat(ctx.config().at(Catalog.markerOf(point)), Optional.of(4096L)));
      }
    }
    boolean ownClaimExisted = claims.stream().anyMatch(c -> c.runKey().equals(myKey));
    refuseOn(Claims.beforeClaim(folder, dataPresent, hasMarker,
        marker.flatMap(Manifest.Header::runId).map(Settings::safeId), marker.map(Manifest.Header::source), claims,
        myKey));
    if (dataPresent) {
      ctx.out().log(folder + " already has data of this run (a retry with the same run id): reusing it");
    }
    JsonObject claim = new JsonObject();
    claim.addProperty("formatVersion", 1);
    claim.addProperty("kind", "datamover-claim");
    claim.addProperty("source", ctx.settings().source());
    claim.addProperty("runId", ctx.settings().runId());
    claim.addProperty("pointInTime", point);
    claim.addProperty("claimedAt", ctx.now());
    remote.write(claim.toString(), claimObject());
    Claims.Decision after = Claims.afterClaim(folder, claims(true), myKey);
    if (after instanceof Claims.Decision.Refuse && !ownClaimExisted) {
      remote.deleteFile(claimObject()); // nothing else of this run was written
    }
    refuseOn(after);
    if (hasMarker) {
      remote.deleteFileOrFail(ctx.config().at(Catalog.markerOf(point)), "the previous marker of " + folder);
    }
  }

  /** The newest complete point of the same source, when the remote can copy server-side. */
  private Optional<String> previousPoint() {
    Catalog catalog = Catalog.read(remote);
    List<Catalog.Point> candidates = catalog.points().stream()
        .filter(Catalog.Point::complete).filter(p -> !p.name().equals(point)).limit(3).toList();
    // Without hashes (crypt) unchanged files could only be recognised by size and time: upload them instead.
    // S3 (form a) copies server-side; other backends are asked.
    if (candidates.isEmpty() || ctx.config().encrypted()
        || (ctx.config().bucket().isEmpty() && !remote.copiesServerSide(ctx.config().root()))) {
      return Optional.empty();
    }
    for (Catalog.Point candidate : candidates) {
      Optional<Manifest.Header> header = Manifest.readHeader(
          remote.cat(ctx.config().at(Catalog.markerOf(candidate.name())), Optional.of(4096L)));
      if (header.isPresent() && header.get().source().equals(ctx.settings().source())) {
        return Optional.of(candidate.name());
      }
    }
    return Optional.empty();
  }

  /**
   * The files of {@code point}'s marker (path → the entry's JSON); none when it cannot be read, and then every file
   * is compared by content as before.
   */
  private SortedFile markerFiles(String point) {
    try {
      return Manifest.files(remote.cat(ctx.config().at(Catalog.markerOf(point)), Optional.empty()), remote.work(),
          ctx.config().display(point));
    } catch (MoverFailure e) {
      if (e.kind() != MoverFailure.Kind.REFUSED) {
        throw e;
      }
      return SortedFile.empty(remote.work());
    }
  }

  private List<Claims.Claim> claims(boolean readSources) {
    List<Claims.Claim> claims = new ArrayList<>();
    for (Listing.Entry e : remote.entries(ctx.config().at(claimsDir()), "--files-only", "--use-server-modtime")) {
      if (!e.path().endsWith(".json")) {
        continue;
      }
      String key = e.path().substring(0, e.path().length() - ".json".length());
      Optional<String> source = Optional.empty();
      if (readSources && !key.equals(myKey)) {
        source = Claims.readSource(remote, ctx.config().at(claimsDir() + "/" + key + ".json"));
      }
      claims.add(new Claims.Claim(key, e.modTime().map(Catalog::instant).orElse(java.time.Instant.EPOCH), source));
    }
    return claims;
  }

  private static void refuseOn(Claims.Decision decision) {
    if (decision instanceof Claims.Decision.Refuse refuse) {
      throw MoverFailure.refused(refuse.message());
    }
  }

  @Override
  public Optional<String> copyDest() {
    return baseline.map(BackupOperation.Baseline::sub);
  }

  @Override
  public Optional<BackupOperation.Baseline> baseline() {
    return baseline;
  }

  @Override
  public boolean fresh() {
    return !dataPresent;
  }

  @Override
  public boolean beforeMarker(Path filesFrom0) {
    List<Claims.Claim> claims = claims(true);
    return switch (Claims.afterCopy(claims, myKey)) {
      case ALONE -> true;
      case LATER -> throw MoverFailure.refused(folder + " was claimed first by another run ("
          + Claims.describe(claims.stream().min(Claims.ORDER).orElseThrow()) + "); this run copied its files there"
          + " but wrote no marker and deleted nothing, so the other run's backup stays intact. Give each source its"
          + " own path (spec.path / MOVER_PATH)");
      case FIRST_WITH_OTHERS -> {
        ctx.out().log("other runs claimed " + folder + " after this one; checking that they changed none of its"
            + " files before writing the marker");
        Rclone.Outcome check = remote.run(Rclone.Call.of("check", ctx.settings().dataDir().toString(),
            ctx.config().at(point), "--one-way", "--links", "--files-from0", filesFrom0.toString()));
        if (!check.ok()) {
          throw MoverFailure.transfer("files in " + folder + " differ from the source after another run wrote"
              + " there (" + remote.explain(check) + "); no marker was written. Rerun the backup, and give each"
              + " source its own path (spec.path / MOVER_PATH)");
        }
        yield false; // the other runs' files are never deleted
      }
    };
  }

  @Override
  public SortedFile previousFiles() {
    return SortedFile.empty(remote.work());
  }

  /** On a retry, what an earlier attempt of this run wrote into the folder and the source no longer has. */
  @Override
  public SortedFile deletions(SortedFile current) {
    SortedFile.Builder stale = SortedFile.builder(remote.work());
    if (dataPresent) {
      SortedFile.Builder there = SortedFile.builder(remote.work());
      remote.lsjson(ctx.config().at(point), "-R", "--files-only", "--no-modtime",
          "--exclude", "/" + Catalog.META + "/**").ifPresent(listing -> Listing.read(listing, e -> there.add(e.path())));
      there.build().minus(current, stale::add);
    }
    return stale.build();
  }

  @Override
  public void finish(Path marker) {
    if (!remote.writeThenDelete(marker, ctx.config().at(point + "/" + Catalog.META), Catalog.MARKER,
        Catalog.CLAIMS + "/" + myKey + ".json")) {
      ctx.out().log("warning: could not remove this run's claim " + claimsDir() + "/" + myKey + ".json (harmless)");
    }
  }

  @Override
  public String markerSpecBelowRoot() {
    return Catalog.markerOf(point);
  }

  @Override
  public String layout() {
    return "timestamp";
  }
}

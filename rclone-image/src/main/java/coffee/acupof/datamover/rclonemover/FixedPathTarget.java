package coffee.acupof.datamover.rclonemover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A backup into a fixed path that other sources (and other tools) may share. This source owns exactly the files
 * its markers and in-flight records list: it deletes only those, never writes a file that another source's
 * records list (refused, exit 4, before anything is written), and records everything it may write
 * ({@code inflight.json}) before writing it, so an interrupted run leaves nothing unknown behind. When every
 * current name is already in the previous marker (and no interrupted run left a record), that marker, moved to
 * {@code inflight.json}, is that record: the other sources already saw those names.
 */
final class FixedPathTarget implements BackupOperation.Target {

  private final Context ctx;
  private final Remote remote;
  private final String started;
  private final String sourceId;
  private final String where;
  private SortedFile previous;
  private SortedFile previousInflight;
  private SortedFile others;
  private Concurrently.Pending<Map<String, List<String>>> records;
  private Concurrently.Pending<Path> marker;

  FixedPathTarget(Context ctx, String started) {
    this.ctx = ctx;
    this.remote = ctx.remote();
    this.started = started;
    this.sourceId = ctx.settings().sourceId();
    this.where = ctx.config().display("");
  }

  private String meta(String name) {
    return Catalog.sourceDir(sourceId) + "/" + name;
  }

  @Override
  public void start() {
    // This source's marker (an empty file when there is none) and the records of every source.
    records = Concurrently.start("records", this::records);
    marker = Concurrently.start("marker", () -> remote.cat(ctx.config().at(meta(Catalog.MARKER)), Optional.empty()));
  }

  @Override
  public void prepare(Volume volume) {
    Map<String, List<String>> records = this.records.get();
    List<String> mine = records.getOrDefault(sourceId, List.of());
    boolean hadMarker = mine.contains(Catalog.MARKER);
    previous = hadMarker ? previousMarker(marker.get()) : SortedFile.empty(remote.work());
    Optional<Path> inflightBytes = mine.contains(Catalog.INFLIGHT)
        ? Optional.of(remote.cat(ctx.config().at(meta(Catalog.INFLIGHT)), Optional.empty())) : Optional.empty();
    previousInflight = inflightBytes.map(this::files).orElseGet(() -> SortedFile.empty(remote.work()));

    DeletionGuard.check(previous.countMinus(volume.files()), previous.size(), ctx.settings().maxDeletePercent(),
        ctx.settings().source(), where).ifPresent(message -> {
          throw MoverFailure.refused(message);
        });
    others = refuseClashes(volume.files(), records);

    if (hadMarker && inflightBytes.isEmpty() && !previous.isEmpty() && volume.files().countMinus(previous) == 0) {
      // No new name: the previous marker lists everything this source may own here, and other sources saw it
      // before they recorded theirs. Moving it records that and removes the marker in one step.
      remote.move(ctx.config().at(meta(Catalog.MARKER)), ctx.config().at(meta(Catalog.INFLIGHT)),
          "the previous marker to " + meta(Catalog.INFLIGHT));
      return;
    }
    // Everything this source may own here is recorded before anything is written.
    Path inflight = remote.temp("inflight.json");
    Manifest.writeInflight(inflight, ctx.settings().source(), ctx.settings().runId(), started,
        SortedFile.builder(remote.work()).addAll(previous).addAll(previousInflight).addAll(volume.files()).build());
    remote.upload(inflight, ctx.config().at(meta(Catalog.INFLIGHT)));
    try {
      // Another source may have recorded its files at the same moment: check again now that ours are recorded.
      others = refuseClashes(volume.files(), records());
    } catch (MoverFailure refused) {
      if (inflightBytes.isPresent()) {
        remote.upload(inflightBytes.get(), ctx.config().at(meta(Catalog.INFLIGHT)));
      } else {
        remote.deleteFile(ctx.config().at(meta(Catalog.INFLIGHT)));
      }
      throw refused;
    }
    // The old marker goes first: while data changes, this source must not look complete.
    if (hadMarker) {
      remote.deleteFileOrFail(ctx.config().at(meta(Catalog.MARKER)), "the previous marker");
    }
  }

  /** The marker and in-flight names of every source at this path, by source id. */
  private Map<String, List<String>> records() {
    Map<String, List<String>> records = new TreeMap<>();
    for (Listing.Entry e : remote.entries(ctx.config().at(Catalog.META + "/" + Catalog.SOURCES), "-R",
        "--files-only", "--max-depth", "2")) {
      String[] parts = e.path().split("/");
      if (parts.length == 2) {
        records.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
      }
    }
    return records;
  }

  /**
   * Refuses when a file of the volume is listed by another source's marker or in-flight record; returns the union
   * of the other sources' files (never deleted by this source).
   */
  private SortedFile refuseClashes(SortedFile current, Map<String, List<String>> records) {
    SortedFile.Builder all = SortedFile.builder(remote.work());
    for (Map.Entry<String, List<String>> source : records.entrySet()) {
      if (source.getKey().equals(sourceId)) {
        continue;
      }
      SortedFile.Builder theirs = SortedFile.builder(remote.work());
      for (String name : source.getValue()) {
        if (name.equals(Catalog.MARKER) || name.equals(Catalog.INFLIGHT)) {
          String spec = Catalog.sourceDir(source.getKey()) + "/" + name;
          files(remote.cat(ctx.config().at(spec), Optional.empty())).forEach(e -> theirs.add(e.key()));
        }
      }
      SortedFile their = theirs.build();
      Optional<String> clash = current.firstCommon(their);
      if (clash.isPresent()) {
        throw MoverFailure.refused("source '" + source.getKey() + "' already backs up '" + clash.get() + "' at "
            + where + ", a file this volume has too; backing it up here would replace the other source's file,"
            + " so nothing was written. Give each source its own path (spec.path / MOVER_PATH)");
      }
      all.addAll(their);
    }
    return all.build();
  }

  /** The files of this source's previous marker; none (with a warning) when it is not readable. */
  private SortedFile previousMarker(Path marker) {
    try {
      return files(marker);
    } catch (MoverFailure e) {
      if (e.kind() != MoverFailure.Kind.REFUSED) {
        throw e;
      }
      ctx.out().log("warning: the previous marker of this source is not readable; its files are not deleted");
      return SortedFile.empty(remote.work());
    }
  }

  /** The {@code files} of a marker or in-flight record: path → the entry's JSON. */
  private SortedFile files(Path record) {
    return Manifest.files(record, remote.work(), where);
  }

  @Override
  public Optional<String> copyDest() {
    return Optional.empty();
  }

  @Override
  public Optional<BackupOperation.Baseline> baseline() {
    return Optional.of(new BackupOperation.Baseline("", previous));
  }

  @Override
  public boolean fresh() {
    return false;
  }

  @Override
  public boolean beforeMarker(Path filesFrom0) {
    return true;
  }

  @Override
  public SortedFile previousFiles() {
    return previous;
  }

  @Override
  public SortedFile deletions(SortedFile current) {
    SortedFile owned = SortedFile.builder(remote.work()).addAll(previous).addAll(previousInflight).build();
    SortedFile.Builder gone = SortedFile.builder(remote.work());
    owned.minus(current, gone::add);
    SortedFile.Builder deletable = SortedFile.builder(remote.work());
    gone.build().minus(others, deletable::add);
    return deletable.build();
  }

  @Override
  public void finish(Path marker) {
    if (!remote.writeThenDelete(marker, ctx.config().at(Catalog.sourceDir(sourceId)), Catalog.MARKER,
        Catalog.INFLIGHT)) {
      ctx.out().log("warning: could not remove " + meta(Catalog.INFLIGHT) + " (harmless)");
    }
  }

  @Override
  public String markerSpecBelowRoot() {
    return meta(Catalog.MARKER);
  }

  @Override
  public String layout() {
    return "fixed";
  }
}

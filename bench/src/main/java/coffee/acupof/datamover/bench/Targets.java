package coffee.acupof.datamover.bench;

import coffee.acupof.datamover.bench.cluster.ControlPlaneResult;
import coffee.acupof.datamover.bench.cluster.FootprintRecord;
import coffee.acupof.datamover.bench.data.DataRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Judges a run against the targets of issue 12. A target whose part did not run is "not measured"; in a quick
 * run (tiny trees, few objects) every target is reported with its figure but not judged. Data-path targets are
 * judged on the records of trees at issue 12's full sizes only (S3Proxy runs at a tenth by default); with none,
 * they get a figure but no verdict.
 */
final class Targets {
  static final double MOVER_RATIO = 1.05;
  static final double SECOND_POINT_SHARE = 0.01;
  static final double VOLSYNC_SPEEDUP = 1.5;
  static final double JOB_P99_SECONDS = 1.0;
  static final double READY_SECONDS = 2.0;
  static final double IDLE_RSS_MIB = 160;
  static final double LOADED_RSS_MIB = 190;
  private static final List<String> COMPARED = List.of("full", "noop", "changed-1pct", "restore");
  private static final int FULL_SMALL_FILES = 100_000;
  private static final long FULL_LARGE_FILE = 2L << 30;
  private static final int FULL_MIXED_FILES = 10_000;
  private static final int FULL_OBJECTS = 1_000;

  private final boolean quick;
  private final List<DataRecord> data;
  private final ControlPlaneResult controlPlane;
  private final List<FootprintRecord> footprint;

  Targets(boolean quick, List<DataRecord> data, ControlPlaneResult controlPlane, List<FootprintRecord> footprint) {
    this.quick = quick;
    this.data = data;
    this.controlPlane = controlPlane;
    this.footprint = footprint;
  }

  List<Target> evaluate() {
    List<Target> targets = new ArrayList<>();
    targets.add(moverAgainstBaseline());
    targets.add(secondTimestampedBackup());
    targets.add(fasterThanVolSync());
    targets.add(jobLatency());
    targets.add(statusWrites());
    targets.add(readiness());
    targets.add(idleMemory());
    targets.add(loadedMemory());
    return targets;
  }

  private Target moverAgainstBaseline() {
    String what = "our mover ≤ " + MOVER_RATIO + "× rclone sync's wall time (full, 1 % changed, no-op, restore)";
    List<DataRecord> mover = data.stream().filter(r -> r.contender().equals("mover-fixed") && COMPARED.contains(r.scenario())).toList();
    if (mover.isEmpty()) {
      return notMeasured(what, "the data part did not run");
    }
    DataRecord worst = mover.stream().max(Comparator.comparingDouble(DataRecord::ratioToBaseline)).orElseThrow();
    StringBuilder perScenario = new StringBuilder();
    for (String scenario : COMPARED) {
      mover.stream().filter(r -> r.scenario().equals(scenario)).mapToDouble(DataRecord::ratioToBaseline).max()
          .ifPresent(ratio -> perScenario.append(perScenario.isEmpty() ? "" : ", ").append(scenario).append(String.format(" %.2f×", ratio)));
    }
    String figure = String.format("worst %.2f× (%s, %s, %s); worst per scenario: %s", worst.ratioToBaseline(), worst.scenario(),
        worst.tree(), worst.server(), perScenario);
    return judgedData(what, figure, mover, r -> r.ratioToBaseline() <= MOVER_RATIO,
        "fixed-path mover");
  }

  private Target secondTimestampedBackup() {
    String what = "a second timestamped backup of an unchanged tree sends < 1 % of the tree's bytes";
    List<DataRecord> second = data.stream().filter(r -> r.scenario().equals("second-timestamped")).toList();
    if (second.isEmpty()) {
      return notMeasured(what, "the data part did not run");
    }
    DataRecord worst = second.stream().max(Comparator.comparingDouble(Targets::shareSent)).orElseThrow();
    String figure = String.format("up to %.1f %% of the tree over the loopback (%s, %s: %,.0f of %,d bytes)",
        100 * shareSent(worst), worst.tree(), worst.server(), worst.loopbackBytes().median(), worst.treeBytes());
    return judgedData(what, figure, second, r -> shareSent(r) < SECOND_POINT_SHARE,
        "loopback bytes include requests, listings and answers");
  }

  private static double shareSent(DataRecord record) {
    return record.loopbackBytes().median() / record.treeBytes();
  }

  private Target fasterThanVolSync() {
    String what = "≥ " + VOLSYNC_SPEEDUP + "× faster than VolSync's flag set on 100,000 small files";
    List<DataRecord> small = data.stream().filter(r -> r.tree().equals("small-files") && COMPARED.contains(r.scenario())).toList();
    List<DataRecord> movers = small.stream().filter(r -> r.contender().equals("mover-fixed")
        && volSync(small, r).isPresent()).toList();
    if (movers.isEmpty()) {
      return notMeasured(what, "the small-files tree did not run");
    }
    Function<DataRecord, Double> speedup = mover -> volSync(small, mover).orElseThrow().medianSeconds() / mover.medianSeconds();
    String figure = movers.stream().map(m -> String.format("%s %s %.2f×", m.server(), m.scenario(), speedup.apply(m)))
        .collect(Collectors.joining(", "));
    return judgedData(what, figure, movers, m -> speedup.apply(m) >= VOLSYNC_SPEEDUP,
        "");
  }

  private static Optional<DataRecord> volSync(List<DataRecord> records, DataRecord mover) {
    return records.stream().filter(r -> r.contender().equals("volsync-flags") && r.server().equals(mover.server())
        && r.scenario().equals(mover.scenario())).findFirst();
  }

  private Target jobLatency() {
    String what = "create → Job created p99 < 1 s at 1,000 objects";
    if (controlPlane == null) {
      return notMeasured(what, "the cluster part did not run");
    }
    String figure = String.format("p99 %.2f s, p50 %.2f s (%d objects, %d at a time)", controlPlane.createToJobSeconds().p99(),
        controlPlane.createToJobSeconds().p50(), controlPlane.objects(), controlPlane.concurrency());
    boolean met = controlPlane.createToJobSeconds().p99() < JOB_P99_SECONDS;
    return controlPlane.objects() >= FULL_OBJECTS ? judged(what, figure, met, "")
        : new Target(what, figure, null, "fewer than 1,000 objects in this run");
  }

  private Target statusWrites() {
    String what = "at most one status write per phase change";
    if (controlPlane == null) {
      return notMeasured(what, "the cluster part did not run");
    }
    String figure = String.format("median %.0f status writes for %.0f phases entered per run; worst run %.2f writes per phase; "
            + "%.2f status PATCHes per run at the API server",
        controlPlane.statusWritesPerRun().median(), controlPlane.phasesPerRun().median(), controlPlane.maxStatusWritesPerPhase(),
        controlPlane.statusPatchesPerRun());
    return judged(what, figure, controlPlane.maxStatusWritesPerPhase() <= 1.0, "phases entered count the first status (phase \"\")");
  }

  private Target readiness() {
    String what = "operator ready ≤ 2 s after start";
    return shipped(0).map(f -> judged(what, String.format("%.2f s median (%s; leader at %.2f s)", f.readySeconds().median(),
            f.variant(), f.leaderSeconds().median()), f.readySeconds().median() <= READY_SECONDS, "launch to readiness UP, no DataMover"))
        .orElseGet(() -> notMeasured(what, "the cluster part did not run"));
  }

  private Target idleMemory() {
    String what = "idle RSS ≤ 160 MiB";
    return shipped(0).map(f -> judged(what, String.format("%.0f MiB median (%s)", f.idleRssMiB().median(), f.variant()),
            f.idleRssMiB().median() <= IDLE_RSS_MIB, "no DataMover"))
        .orElseGet(() -> notMeasured(what, "the cluster part did not run"));
  }

  private Target loadedMemory() {
    String what = "RSS with 1,000 objects ≤ VolSync's (≈ 190 MiB)";
    if (controlPlane == null) {
      return notMeasured(what, "the cluster part did not run");
    }
    double afterRuns = controlPlane.idleLoaded().rssMiB();
    Optional<FootprintRecord> fresh = shipped(controlPlane.objects());
    double worst = Math.max(afterRuns, fresh.map(f -> f.idleRssMiB().median()).orElse(0.0));
    String figure = String.format("%.0f MiB after running them, %s on a fresh start with them", afterRuns,
        fresh.map(f -> String.format("%.0f MiB", f.idleRssMiB().median())).orElse("not measured"));
    boolean met = worst <= LOADED_RSS_MIB;
    return controlPlane.objects() >= FULL_OBJECTS ? judged(what, figure, met, controlPlane.operatorVariant())
        : new Target(what, figure, null, "fewer than 1,000 objects in this run");
  }

  private Optional<FootprintRecord> shipped(int objects) {
    return footprint.stream().filter(f -> f.shipped() && f.objects() == objects).findFirst();
  }

  /** A verdict on the records of full-size trees only; the figure may speak of all. */
  private Target judgedData(String what, String figure, List<DataRecord> records, Predicate<DataRecord> passes, String note) {
    List<DataRecord> full = records.stream().filter(Targets::fullSize).toList();
    if (full.isEmpty() && !quick) {
      return new Target(what, figure, null, "no tree at issue 12's full size in this run: not a verdict"
          + (note.isEmpty() ? "" : "; " + note));
    }
    String judgedOn = full.size() == records.size() ? note
        : "judged on " + full.stream().map(r -> r.server() + " " + r.tree()).distinct().collect(Collectors.joining(", "))
            + " (full size)" + (note.isEmpty() ? "" : "; " + note);
    return judged(what, figure, full.stream().allMatch(passes), judgedOn);
  }

  /** Whether a record is of a tree at issue 12's full size. */
  static boolean fullSize(DataRecord record) {
    return switch (record.tree()) {
      case "small-files" -> record.treeFiles() >= FULL_SMALL_FILES;
      case "one-large-file" -> record.treeBytes() >= FULL_LARGE_FILE;
      case "mixed" -> record.treeFiles() >= FULL_MIXED_FILES;
      default -> false;
    };
  }

  private Target judged(String what, String figure, boolean met, String note) {
    return quick ? new Target(what, figure, null, "quick run: not a verdict" + (note.isEmpty() ? "" : "; " + note))
        : new Target(what, figure, met, note);
  }

  private static Target notMeasured(String what, String why) {
    return new Target(what, "not measured", null, why);
  }
}

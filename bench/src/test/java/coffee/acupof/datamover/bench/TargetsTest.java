package coffee.acupof.datamover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.bench.data.DataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {
  private static final long TREE_BYTES = 409_600_000L;

  private static DataRecord record(String scenario, String contender, double median, double ratio, double loopbackBytes) {
    return record("minio", 100_000, scenario, contender, median, ratio, loopbackBytes);
  }

  private static DataRecord record(String server, int files, String scenario, String contender, double median, double ratio,
      double loopbackBytes) {
    Summary one = Summary.of(List.of(loopbackBytes));
    return new DataRecord(server, "small-files", files, files * 4096L, scenario, contender, contender.startsWith("mover"),
        median, median, median, 1, List.of(median), ratio, scenario, one, Summary.of(List.of(1.0)), Map.of());
  }

  private static List<DataRecord> run(double moverRatio, double volSyncSeconds, double secondPointBytes) {
    List<DataRecord> records = new ArrayList<>();
    for (String scenario : List.of("full", "noop", "changed-1pct", "restore")) {
      records.add(record(scenario, "rclone-defaults", 10, 1, 1));
      records.add(record(scenario, "volsync-flags", volSyncSeconds, volSyncSeconds / 10, 1));
      records.add(record(scenario, "mover-fixed", 10 * moverRatio, moverRatio, 1));
    }
    records.add(record("second-timestamped", "mover-timestamped", 12, 1.2, secondPointBytes));
    return records;
  }

  private static Target target(List<Target> targets, String startsWith) {
    return targets.stream().filter(t -> t.target().startsWith(startsWith)).findFirst().orElseThrow();
  }

  @Test
  void theDataPathTargetsAreMetOrNotByTheirFigures() {
    List<Target> met = new Targets(false, run(1.04, 16, TREE_BYTES * 0.005), null, List.of()).evaluate();
    List<Target> missed = new Targets(false, run(1.3, 14, TREE_BYTES * 0.5), null, List.of()).evaluate();

    assertThat(target(met, "our mover").met()).isTrue();
    assertThat(target(missed, "our mover").met()).isFalse();
    assertThat(target(missed, "our mover").figure()).startsWith("worst 1.30×");
    assertThat(target(met, "a second timestamped").met()).isTrue();
    assertThat(target(missed, "a second timestamped").met()).isFalse();
    assertThat(target(met, "≥ 1.5× faster").met()).isTrue();
    assertThat(target(missed, "≥ 1.5× faster").met()).isFalse();
  }

  @Test
  void partsThatDidNotRunAreNotMeasuredAndAQuickRunJudgesNothing() {
    List<Target> noCluster = new Targets(false, run(1.0, 20, 0), null, List.of()).evaluate();
    List<Target> quick = new Targets(true, run(1.0, 20, 0), null, List.of()).evaluate();

    assertThat(target(noCluster, "operator ready")).extracting(Target::figure, Target::met).containsExactly("not measured", null);
    assertThat(quick).allSatisfy(t -> assertThat(t.met()).isNull());
    assertThat(target(quick, "our mover").figure()).startsWith("worst 1.00×");
  }

  @Test
  void onlyFullSizeTreesAreJudgedAndSmallerOnesStillShowInTheFigure() {
    List<DataRecord> records = new ArrayList<>(run(1.0, 20, 0));
    records.add(record("s3proxy", 10_000, "full", "rclone-defaults", 1, 1, 1));
    records.add(record("s3proxy", 10_000, "full", "mover-fixed", 3, 3, 1));
    List<DataRecord> scaledOnly = records.stream().filter(r -> r.server().equals("s3proxy")).toList();

    Target judgedOnMinio = target(new Targets(false, records, null, List.of()).evaluate(), "our mover");
    Target notJudged = target(new Targets(false, scaledOnly, null, List.of()).evaluate(), "our mover");

    assertThat(judgedOnMinio.met()).isTrue();
    assertThat(judgedOnMinio.figure()).startsWith("worst 3.00× (full, small-files, s3proxy)");
    assertThat(judgedOnMinio.note()).contains("judged on minio small-files (full size)");
    assertThat(notJudged.met()).isNull();
    assertThat(notJudged.note()).startsWith("no tree at issue 12's full size in this run");
  }
}

package coffee.acupof.datamover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.bench.cluster.ControlPlaneResult;
import coffee.acupof.datamover.bench.cluster.FootprintRecord;
import coffee.acupof.datamover.bench.data.DataRecord;
import coffee.acupof.datamover.testkit.Rclone;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's smoke run ({@code hack/bench.sh --quick}) in the test suite, so the harness cannot rot: every
 * part runs against the real servers at tiny sizes and writes its three files. It checks what was measured and
 * reported, never how fast: tests do not judge speed.
 */
class BenchQuickIT {
  private static final Path REPO = Rclone.repositoryRoot();

  @Test
  void theQuickRunMeasuresEveryPartAndWritesTheReport(@TempDir Path work) throws IOException {
    Path out = Path.of(System.getProperty("bench.output"));
    BenchOptions options = BenchOptions.parse(new String[] {"--quick", "--out=" + out, "--work=" + work}, REPO, work);

    Results results = Bench.run(options, Tools.of(REPO, options), System.out::println);

    // The data path: every contender in every scenario, on both servers and both trees, each restore checked.
    assertThat(results.dataPath()).hasSize(2 * 2 * 20);
    assertThat(results.dataPath().stream().map(r -> r.scenario() + "/" + r.contender()).collect(Collectors.toSet()))
        .hasSize(20)
        .contains("second-timestamped/mover-timestamped", "restore/mover-fixed", "changed-1pct/volsync-flags");
    assertThat(results.dataPath()).allSatisfy(r -> {
      assertThat(r.runs()).isEqualTo(1);
      assertThat(r.medianSeconds()).isPositive().isBetween(r.minSeconds(), r.maxSeconds());
      assertThat(r.s3Requests().median()).as("requests the server counted for %s", r).isPositive();
      assertThat(r.loopbackBytes().median()).isPositive();
      assertThat(r.ratioToBaseline()).isPositive();
    });
    assertThat(results.dataPath().stream().filter(r -> r.contender().equals("rclone-defaults")))
        .allSatisfy(r -> assertThat(r.ratioToBaseline()).isEqualTo(1.0));
    assertThat(results.moverStart().startSeconds().median()).isPositive();
    assertThat(results.moverStart().peakRssBytes().median()).isPositive();

    // The control plane: every run Completed, the waiting ones reported.
    ControlPlaneResult controlPlane = results.controlPlane();
    assertThat(controlPlane.completed()).isEqualTo(20);
    assertThat(controlPlane.createToJobSeconds().count()).isEqualTo(20);
    assertThat(controlPlane.typicalPhases()).endsWith("CleaningUp", "Completed");
    assertThat(controlPlane.statusPatchesPerRun()).isGreaterThanOrEqualTo(controlPlane.phasesPerRun().median());
    assertThat(controlPlane.apiRequests()).anySatisfy(r -> assertThat(r.request()).isEqualTo("POST jobs"));
    assertThat(controlPlane.missingPvc().createToFirstStatusSeconds().count()).isEqualTo(10);
    assertThat(controlPlane.idleLoaded().rssMiB()).isPositive();

    // The footprint: both variants, without and with the finished runs in the cluster; one of them is shipped.
    assertThat(results.footprint()).extracting(FootprintRecord::objects).containsExactlyInAnyOrder(0, 0, 20, 20);
    assertThat(results.footprint()).filteredOn(FootprintRecord::shipped).hasSize(2);
    assertThat(results.footprint()).allSatisfy(f -> {
      assertThat(f.readySeconds().median()).isGreaterThanOrEqualTo(f.leaderSeconds().median());
      assertThat(f.idleRssMiB().median()).isPositive();
    });

    // The targets are reported with their figures, and a quick run judges none.
    assertThat(results.targets()).hasSize(8).allSatisfy(t -> {
      assertThat(t.met()).isNull();
      assertThat(t.figure()).isNotEqualTo("not measured");
    });

    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    assertThat(json.getAsJsonArray("dataPath")).hasSize(80);
    assertThat(json.getAsJsonArray("dataPath").get(0).getAsJsonObject().keySet())
        .contains("medianSeconds", "minSeconds", "maxSeconds", "runs", "ratioToBaseline");
    String report = Files.readString(out.resolve("results.md"));
    assertThat(report).contains("## Machine and versions", "## Method", "## Targets (issue 12)", "## Data path", "## Control plane",
        "## Footprint", "datamover-mover.jar");
    byte[] png = Files.readAllBytes(out.resolve("data-path.png"));
    assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
  }
}

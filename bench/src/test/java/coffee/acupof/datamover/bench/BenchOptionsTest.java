package coffee.acupof.datamover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.bench.data.Tree;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  private static final Path REPO = Path.of("/repo");
  private static final Path CACHE = Path.of("/cache");
  private static final String[] JARS = {"--operator-jar=/jars/operator.jar", "--s3proxy-jar", "/jars/s3proxy.jar"};

  private static BenchOptions parse(String... args) {
    String[] all = new String[args.length + JARS.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(JARS, 0, all, args.length, JARS.length);
    return BenchOptions.parse(all, REPO, CACHE);
  }

  @Test
  void withoutOptionsTheSizesAreIssue12s() {
    BenchOptions options = parse();

    assertThat(options.trees().get("minio")).extracting(Tree::name, Tree::files).containsExactly(
        org.assertj.core.groups.Tuple.tuple("small-files", 100_000), org.assertj.core.groups.Tuple.tuple("one-large-file", 1),
        org.assertj.core.groups.Tuple.tuple("mixed", 10_000));
    assertThat(options.trees().get("minio").get(1).bytes()).isEqualTo(2L << 30);
    assertThat(options.trees().get("s3proxy")).extracting(Tree::files).containsExactly(10_000, 1, 1_000);
    assertThat(options.scales()).containsExactly(java.util.Map.entry("minio", 1.0), java.util.Map.entry("s3proxy", 0.1));
    assertThat(options).extracting(BenchOptions::warmups, BenchOptions::runs, BenchOptions::objects, BenchOptions::missingObjects)
        .containsExactly(1, 5, 1000, 1000);
    assertThat(options.parts()).containsExactlyInAnyOrder("data", "cluster");
    assertThat(options.output()).isEqualTo(Path.of("/repo/docs/benchmarks"));
    assertThat(options.work()).isEqualTo(Path.of("/cache/bench"));
    assertThat(options.operatorJar()).isEqualTo(Path.of("/jars/operator.jar"));
    assertThat(options.moverRuntime()).isEqualTo(Path.of(System.getProperty("java.home")));
    assertThat(options.contenders()).containsExactly("rclone-defaults", "volsync-flags", "go-operator-flags",
        "mover-fixed", "mover-timestamped");
  }

  @Test
  void chosenContendersRunWithTheBaselineFirst() {
    assertThat(parse("--contenders=mover-fixed,volsync-flags").contenders())
        .containsExactly("rclone-defaults", "mover-fixed", "volsync-flags");
    assertThatThrownBy(() -> parse("--contenders=restic")).hasMessageContaining("unknown contender 'restic'")
        .hasMessageContaining("mover-fixed");
  }

  @Test
  void theMoverRunsOnTheRuntimeGiven() {
    assertThat(parse("--mover-runtime=/opt/mover-jre").moverRuntime()).isEqualTo(Path.of("/opt/mover-jre"));
  }

  @Test
  void quickIsSmallAndWritesUnderTarget() {
    BenchOptions options = parse("--quick", "--servers=minio");

    assertThat(options.quick()).isTrue();
    assertThat(options.servers()).containsExactly("minio");
    assertThat(options.trees().get("minio")).allMatch(t -> t.files() <= 100);
    assertThat(options).extracting(BenchOptions::warmups, BenchOptions::runs).containsExactly(0, 1);
    assertThat(options.output()).isEqualTo(Path.of("/repo/bench/target/bench-quick"));
  }

  @Test
  void scaleShrinksFileCountsAndSizes() {
    BenchOptions options = parse("--scale=0.1", "--s3proxy-scale=0.5");

    assertThat(options.trees().get("minio")).extracting(Tree::files).containsExactly(10_000, 1, 1_000);
    assertThat(options.trees().get("minio").get(1).bytes()).isEqualTo(Math.round(0.1 * (2L << 30)));
    assertThat(options.trees().get("minio").get(2).layout().size(0)).isLessThanOrEqualTo(4L << 20);
    assertThat(options.trees().get("s3proxy")).extracting(Tree::files).containsExactly(50_000, 1, 5_000);
  }

  @Test
  void mistakesAreRefusedWithWhatToFix() {
    assertThatThrownBy(() -> parse("--scale=2")).hasMessage("--scale must be above 0 and at most 1, got 2");
    assertThatThrownBy(() -> parse("--servers=ceph")).hasMessage("unknown server 'ceph'; use minio, s3proxy");
    assertThatThrownBy(() -> parse("--runs=0")).hasMessage("--runs must be at least 1, got 0");
    assertThatThrownBy(() -> parse("--rounds=3")).hasMessage("unknown option --rounds");
    assertThatThrownBy(() -> parse("--variants=zgc")).hasMessageStartingWith("unknown JVM variant 'zgc'");
  }
}

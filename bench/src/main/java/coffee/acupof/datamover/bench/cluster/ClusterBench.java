package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The benchmarks that need a cluster, in the order that gives each its starting state: the footprint of every
 * JVM variant with no DataMover, the control plane (valid runs, then runs waiting on a missing PVC) with the
 * shipped variant, and the footprint again with the finished runs in the cluster.
 */
public final class ClusterBench {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /**
   * @param objects DataMovers with valid inputs
   * @param concurrency at most this many unfinished at a time
   * @param missingObjects DataMovers waiting on a missing PVC
   * @param variants the JVM variants of the footprint benchmark
   * @param warmups uncounted rounds of the footprint benchmark
   * @param runs counted rounds of the footprint benchmark
   * @param settle wait after ready before an idle window
   * @param window idle and waiting windows
   * @param work where the cluster's files, extracted jars, AOT caches and logs go
   * @param controlPlaneTimeout longest the valid runs may take together
   */
  public record Settings(int objects, int concurrency, int missingObjects, List<JvmVariant> variants, int warmups, int runs,
      Duration settle, Duration window, Path work, Duration controlPlaneTimeout) {}

  /**
   * @param footprint one record per variant and object count
   * @param controlPlane the control-plane figures
   */
  public record Outcome(List<FootprintRecord> footprint, ControlPlaneResult controlPlane) {}

  private final Settings settings;
  private final Tools tools;
  private final Consumer<String> progress;

  public ClusterBench(Settings settings, Tools tools, Consumer<String> progress) {
    this.settings = settings;
    this.tools = tools;
    this.progress = progress;
  }

  /**
   * The work directory of this run, {@code work/cluster-<pid>}, after removing those of earlier runs whose process
   * has ended: each holds an etcd data directory, extracted jars and AOT caches (250–400 MB), kept only so that the
   * last run's logs can be read.
   */
  public static Path workDirectory(Path work, Consumer<String> progress) {
    if (Files.isDirectory(work)) {
      try (Stream<Path> entries = Files.list(work)) {
        entries.filter(ClusterBench::ofEndedRun).forEach(dir -> {
          progress.accept("bench: removing " + dir + " (an earlier run's cluster)");
          try {
            FileUtils.deleteDirectory(dir.toFile());
          } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return work.resolve("cluster-" + ProcessHandle.current().pid());
  }

  private static boolean ofEndedRun(Path dir) {
    String name = dir.getFileName().toString();
    if (!Files.isDirectory(dir) || !name.matches("cluster-[0-9]{1,18}")) {
      return false;
    }
    long pid = Long.parseLong(name.substring("cluster-".length()));
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  public Outcome run() {
    Path logs = settings.work().resolve("logs");
    try (BenchCluster cluster = BenchCluster.start(tools.repo(), settings.work(), ControlPlaneBench.RUNS)) {
      OperatorJar jar = new OperatorJar(tools.java(), tools.operatorJar(), settings.work().resolve("jvm"));
      FootprintBench footprint = new FootprintBench(cluster, jar,
          new FootprintBench.Settings(settings.variants(), settings.warmups(), settings.runs(), settings.settle(), settings.window()),
          logs, progress);
      List<FootprintRecord> empty = footprint.run(0);

      JvmVariant shipped = JvmVariant.named(JvmVariant.SHIPPED);
      ControlPlaneResult controlPlane;
      try (OperatorUnderTest operator = OperatorUnderTest.start(jar.command(shipped), shipped.environment(), cluster.kubeconfig(),
          logs.resolve("operator-control-plane.log"))) {
        operator.awaitReady(READY_TIMEOUT);
        controlPlane = new ControlPlaneBench(cluster, new ControlPlaneBench.Settings(settings.objects(), settings.concurrency(),
            settings.missingObjects(), settings.settle(), settings.window(), settings.controlPlaneTimeout()), progress).run(operator, shipped.name());
      }
      List<FootprintRecord> loaded = footprint.run(settings.objects());
      return new Outcome(Stream.concat(empty.stream(), loaded.stream()).toList(), controlPlane);
    }
  }
}

package coffee.acupof.datamover.bench;

import coffee.acupof.datamover.bench.cluster.ClusterBench;
import coffee.acupof.datamover.bench.cluster.ControlPlaneResult;
import coffee.acupof.datamover.bench.cluster.FootprintRecord;
import coffee.acupof.datamover.bench.cluster.JvmVariant;
import coffee.acupof.datamover.bench.data.DataPathBench;
import coffee.acupof.datamover.bench.data.DataRecord;
import coffee.acupof.datamover.bench.data.MoverStart;
import coffee.acupof.datamover.bench.report.DataPathPlot;
import coffee.acupof.datamover.bench.report.MarkdownReport;
import coffee.acupof.datamover.testkit.Rclone;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark command ({@code hack/bench.sh}): runs the data path and the cluster benchmarks as asked, then
 * writes {@code results.json}, {@code results.md} and {@code data-path.png} to the output directory.
 */
public final class Bench {
  private static final Duration RUN_TIMEOUT = Duration.ofHours(1);

  private Bench() {}

  public static void main(String[] args) {
    Path repo = Rclone.repositoryRoot();
    String cacheRoot = System.getenv("DATAMOVER_CACHE");
    Path cache = cacheRoot != null && !cacheRoot.isBlank() ? Path.of(cacheRoot)
        : Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache"), "datamover");
    BenchOptions options;
    try {
      if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
        System.out.print(BenchOptions.USAGE);
        return;
      }
      options = BenchOptions.parse(args, repo, cache);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    Results results = run(options, Tools.of(repo, options), System.out::println);
    System.out.println("bench: results in " + options.output());
    results.targets().forEach(t -> System.out.println("  " + (t.met() == null ? "-  " : t.met() ? "met" : "NOT") + "  "
        + t.target() + ": " + t.figure()));
    // The API server client keeps non-daemon threads; everything measured is written.
    System.exit(0);
  }

  /** Runs what {@code options} asks and writes the results; returns them. */
  public static Results run(BenchOptions options, Tools tools, Consumer<String> progress) {
    boolean data = options.parts().contains("data");
    boolean cluster = options.parts().contains("cluster");
    Environment environment = Environment.describe(tools, data && options.servers().contains("minio"), cluster);
    progress.accept("bench: " + (options.quick() ? "quick" : "full") + " run on " + environment.cores() + " cores, output "
        + options.output());

    List<DataRecord> dataPath = List.of();
    MoverStart moverStart = null;
    String pageCache = "not relevant (no data-path run)";
    boolean loopbackIsolated = ProcFs.loopbackIsolated();
    List<String> contenders = List.of();
    List<String> servers = List.of();
    if (data) {
      DataPathBench bench = new DataPathBench(new DataPathBench.Settings(options.trees(), options.contenders(), options.warmups(), options.runs(),
          options.work(), RUN_TIMEOUT), tools, progress);
      DataPathBench.Outcome outcome = bench.run();
      dataPath = outcome.records();
      moverStart = outcome.moverStart();
      pageCache = outcome.pageCache();
      loopbackIsolated = outcome.loopbackIsolated();
      contenders = bench.contenders().stream().map(c -> c.name() + ": " + c.description()).toList();
      servers = outcome.serverVersions().values().stream().map(v -> v + " on 127.0.0.1").toList();
    }

    ControlPlaneResult controlPlane = null;
    List<FootprintRecord> footprint = List.of();
    if (cluster) {
      ClusterBench.Outcome outcome = new ClusterBench(new ClusterBench.Settings(options.objects(), options.concurrency(),
          options.missingObjects(), options.variants(), options.warmups(), options.runs(), options.settle(), options.window(),
          ClusterBench.workDirectory(options.work(), progress), RUN_TIMEOUT), tools, progress).run();
      controlPlane = outcome.controlPlane();
      footprint = outcome.footprint();
    }

    Results results = new Results(1, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), options.quick() ? "quick" : "full",
        options.givenArguments(), environment.ended(),
        new Results.Method(options.warmups(), options.runs(),
            "interleaved: the contenders (or JVM variants) of a round run one after the other, the order rotating by one each round",
            pageCache, loopbackIsolated, data ? options.scales() : Map.of(),
            data ? options.trees().entrySet().stream().flatMap(e -> e.getValue().stream()
                .map(t -> e.getKey() + " " + t.name() + ": " + t.description())).toList() : List.of(),
            contenders, servers,
            cluster ? String.format("%,d DataMovers with valid inputs, at most %d unfinished at a time (a new one is created when "
                + "one ends), then %,d waiting on a missing PVC; own etcd + kube-apiserver, the real kube-controller-manager "
                + "(Job controller, PV binder, garbage collector, PVC and PV protection) and kube-scheduler, the test kit's "
                + "played kubelet (LocalExecutor) and CSI driver, a stand-in mover that reports success at once; latencies "
                + "from the driver's create call to what its watches see",
                options.objects(), options.concurrency(), options.missingObjects()) : null,
            cluster ? String.format("variants %s; each start against the same API server, %d s settling and a %d s idle window; "
                    + "shipped variant: %s", options.variants().stream().map(JvmVariant::name).toList(), options.settle().toSeconds(),
                options.window().toSeconds(), JvmVariant.SHIPPED) : null),
        dataPath, moverStart, controlPlane, footprint,
        new Targets(options.quick(), dataPath, controlPlane, footprint).evaluate());
    results.writeJson(options.output().resolve("results.json"));
    MarkdownReport.write(results, options.output().resolve("results.md"));
    if (!dataPath.isEmpty()) {
      DataPathPlot.write(dataPath, options.output().resolve("data-path.png"));
    }
    return results;
  }
}

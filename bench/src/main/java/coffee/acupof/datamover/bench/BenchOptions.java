package coffee.acupof.datamover.bench;

import coffee.acupof.datamover.bench.cluster.JvmVariant;
import coffee.acupof.datamover.bench.data.Tree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code hack/bench.sh}: what to run, at which size, and where results go. {@code --quick}
 * picks tiny trees, few objects and one counted round (the smoke run of the test suite); without it the sizes
 * are those of issue 12.
 *
 * @param quick the small smoke-run sizes
 * @param parts {@code data} and/or {@code cluster} (control plane and footprint)
 * @param servers {@code minio} and/or {@code s3proxy}
 * @param trees the data-path trees per S3 server
 * @param contenders the data path's contenders by name; the baseline ({@code rclone-defaults}) always runs
 * @param scales the trees' file counts and sizes per S3 server, as a fraction of issue 12's (1 = full size; quick
 *     runs use fixed tiny trees)
 * @param warmups uncounted rounds
 * @param runs counted rounds
 * @param objects DataMovers with valid inputs
 * @param concurrency at most this many unfinished at a time
 * @param missingObjects DataMovers waiting on a missing PVC
 * @param variants JVM variants of the footprint benchmark
 * @param settle wait after an operator is ready before measuring it idle
 * @param window idle and waiting windows
 * @param output where results.json, results.md and data-path.png go
 * @param work where trees, server data, AOT caches and logs go
 * @param operatorJar the packaged operator
 * @param s3proxyJar S3Proxy's jar-with-dependencies
 * @param moverRuntime the Java runtime the mover runs on
 * @param arguments the arguments as given, for the report
 */
public record BenchOptions(
    boolean quick,
    Set<String> parts,
    List<String> servers,
    Map<String, List<Tree>> trees,
    List<String> contenders,
    Map<String, Double> scales,
    int warmups,
    int runs,
    int objects,
    int concurrency,
    int missingObjects,
    List<JvmVariant> variants,
    Duration settle,
    Duration window,
    Path output,
    Path work,
    Path operatorJar,
    Path s3proxyJar,
    Path moverRuntime,
    List<String> arguments) {

  /**
   * The arguments to rerun this benchmark with: without the tool locations that hack/bench.sh adds itself, which
   * are this machine's paths (the report and results.json are committed).
   */
  public List<String> givenArguments() {
    return arguments.stream().filter(a -> !a.startsWith("--operator-jar=") && !a.startsWith("--s3proxy-jar=")
        && !a.startsWith("--mover-runtime=")).toList();
  }

  /** The data path's baseline: every ratio is taken against it. */
  public static final String BASELINE = "rclone-defaults";

  /** The data path's contenders, as {@code --contenders} names them. */
  public static final List<String> CONTENDERS = List.of(BASELINE, "volsync-flags", "go-operator-flags",
      "mover-fixed", "mover-timestamped");

  static final String USAGE = """
      Usage: hack/bench.sh [--quick] [options]

      Runs the benchmarks of docs/benchmarks.md and writes results.json, results.md and data-path.png.

        --quick                   tiny trees (no large file), 20 objects, 2 JVM variants, one round: a smoke run
        --parts=data,cluster      data = the data path; cluster = control plane and footprint (default: both)
        --servers=minio,s3proxy   S3 servers of the data path (default: both)
        --trees=small-files,one-large-file,mixed
        --contenders=a,b          of the data path (default: all): rclone-defaults (the baseline, always run),
                                  volsync-flags, go-operator-flags, mover-fixed, mover-timestamped
        --scale=F                 trees at F times issue 12's file counts and sizes, e.g. 0.1 (default 1)
        --s3proxy-scale=F         the same for S3Proxy, the test server (default: a tenth of --scale)
        --warmups=N --runs=N      uncounted and counted rounds (default 1 and 5; quick: 0 and 1)
        --objects=N               DataMovers with valid inputs (default 1000; quick: 20)
        --concurrency=N           at most N of them unfinished at a time (default 20; quick: 5)
        --missing=N               DataMovers waiting on a missing PVC (default 1000; quick: 10)
        --variants=a,b            JVM variants of the footprint (default: all; quick: serial-c1 and the shipped one)
        --settle=SECONDS --window=SECONDS   idle settling time and measuring window (default 10 and 10)
        --out=DIR                 results (default docs/benchmarks; quick: bench/target/bench-quick)
        --work=DIR                trees, server data, logs (default ${DATAMOVER_CACHE:-~/.cache/datamover}/bench)
        --mover-runtime=DIR       Java runtime of the mover (hack/bench.sh: a jlink image as the mover image's,
                                  with the image's AOT cache as DIR/mover.aot; default: the JDK running the
                                  benchmark)
        --operator-jar=PATH --s3proxy-jar=PATH   set by hack/bench.sh
      """;

  /** Parses {@code --name=value} (or {@code --name value}) arguments; unknown ones are an error. */
  static BenchOptions parse(String[] args, Path repo, Path cache) {
    Map<String, String> values = new LinkedHashMap<>();
    boolean quick = List.of(args).contains("--quick");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--quick")) {
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        values.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
    }
    Set<String> known = Set.of("parts", "servers", "trees", "contenders", "scale", "s3proxy-scale", "warmups", "runs", "objects",
        "concurrency", "missing", "variants", "settle", "window", "out", "work", "operator-jar", "s3proxy-jar", "mover-runtime");
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    List<String> parts = list(values.getOrDefault("parts", "data,cluster"), List.of("data", "cluster"), "part");
    List<String> servers = list(values.getOrDefault("servers", "minio,s3proxy"), List.of("minio", "s3proxy"), "server");
    // The quick run leaves out the one large file: its code path is the generator's, and every run counts there.
    List<String> treeNames = list(values.getOrDefault("trees", quick ? "small-files,mixed" : "small-files,one-large-file,mixed"),
        List.of("small-files", "one-large-file", "mixed"), "tree");
    List<String> contenders = new ArrayList<>(List.of(BASELINE));
    list(values.getOrDefault("contenders", String.join(",", CONTENDERS)), CONTENDERS, "contender").stream()
        .filter(c -> !contenders.contains(c)).forEach(contenders::add);
    double scale = fraction("scale", values.getOrDefault("scale", "1"));
    Map<String, Double> scales = new LinkedHashMap<>();
    Map<String, List<Tree>> trees = new LinkedHashMap<>();
    for (String server : servers) {
      double serverScale = server.equals("s3proxy") && !quick
          ? fraction("s3proxy-scale", values.getOrDefault("s3proxy-scale", Double.toString(scale / 10))) : scale;
      scales.put(server, quick ? Double.NaN : serverScale);
      trees.put(server, treeNames.stream().map(name -> tree(name, quick, serverScale)).toList());
    }
    List<JvmVariant> variants = values.containsKey("variants")
        ? list(values.get("variants"), null, "variant").stream().map(JvmVariant::named).toList()
        : quick ? List.of(JvmVariant.named("serial-c1"), JvmVariant.named(JvmVariant.SHIPPED)) : JvmVariant.all();
    Path output = Path.of(values.getOrDefault("out", quick
        ? repo.resolve("bench/target/bench-quick").toString() : repo.resolve("docs/benchmarks").toString()));
    return new BenchOptions(quick, Set.copyOf(parts), servers, trees, List.copyOf(contenders), scales,
        number(values, "warmups", quick ? 0 : 1, 0), number(values, "runs", quick ? 1 : 5, 1),
        number(values, "objects", quick ? 20 : 1000, 1), number(values, "concurrency", quick ? 5 : 20, 1),
        number(values, "missing", quick ? 10 : 1000, 1), variants,
        Duration.ofSeconds(number(values, "settle", quick ? 1 : 10, 0)), Duration.ofSeconds(number(values, "window", quick ? 2 : 10, 1)),
        output.toAbsolutePath(), Path.of(values.getOrDefault("work", cache.resolve("bench").toString())).toAbsolutePath(),
        path(values, "operator-jar", "operator.jar"), path(values, "s3proxy-jar", "s3proxy.jar"),
        Path.of(values.getOrDefault("mover-runtime", System.getProperty("java.home"))).toAbsolutePath(), List.of(args));
  }

  /** One of issue 12's trees, at {@code scale} of its size, or the tiny one of a quick run. */
  private static Tree tree(String name, boolean quick, double scale) {
    return switch (name) {
      case "small-files" -> quick ? Tree.smallFiles(100, 4096) : Tree.smallFiles(scaled(100_000, scale), 4096);
      case "one-large-file" -> quick ? Tree.oneLargeFile(4L << 20) : Tree.oneLargeFile(scaled(2L << 30, scale));
      // The largest file stays a power of two, so the size classes stay whole.
      default -> quick ? Tree.mixed(40, 512L << 10)
          : Tree.mixed(scaled(10_000, scale), Math.max(1L << 20, Long.highestOneBit(scaled(64L << 20, scale))));
    };
  }

  private static double fraction(String option, String value) {
    try {
      double scale = Double.parseDouble(value);
      if (scale <= 0 || scale > 1) {
        throw new IllegalArgumentException("--" + option + " must be above 0 and at most 1, got " + value);
      }
      return scale;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " must be a number such as 0.1, got '" + value + "'");
    }
  }

  private static int scaled(int full, double scale) {
    return Math.max(1, (int) Math.round(full * scale));
  }

  private static long scaled(long full, double scale) {
    return Math.max(1, Math.round(full * scale));
  }

  private static List<String> list(String value, List<String> allowed, String what) {
    List<String> items = List.of(value.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new IllegalArgumentException("name at least one " + what);
    }
    for (String item : items) {
      if (allowed != null && !allowed.contains(item)) {
        throw new IllegalArgumentException("unknown " + what + " '" + item + "'; use " + String.join(", ", allowed));
      }
    }
    return items;
  }

  private static int number(Map<String, String> values, String key, int fallback, int minimum) {
    if (!values.containsKey(key)) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(values.get(key));
      if (value < minimum) {
        throw new IllegalArgumentException("--" + key + " must be at least " + minimum + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + values.get(key) + "'");
    }
  }

  private static Path path(Map<String, String> values, String key, String property) {
    String value = values.getOrDefault(key, System.getProperty(property));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + key + " is required (hack/bench.sh sets it)");
    }
    return Path.of(value).toAbsolutePath();
  }
}

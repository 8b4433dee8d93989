package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.Prometheus;
import coffee.acupof.datamover.bench.ProcFs;
import coffee.acupof.datamover.bench.Summary;
import coffee.acupof.datamover.bench.TimedCommand;
import coffee.acupof.datamover.bench.Tools;
import coffee.acupof.datamover.testkit.Commands;
import coffee.acupof.datamover.testkit.Rclone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The data-path benchmark: every contender backs up and restores the same deterministic trees on the same S3
 * servers, interleaved (the contenders of a round run one after the other, their order rotating from round to
 * round), with warm-up rounds that are not counted, the page cache dropped before every run where permitted, and
 * the loopback bytes and the server's S3 request counters read around every run.
 *
 * <p>Scenarios run in this order on each tree: full backups into emptied destinations; backups with nothing
 * changed (for the timestamped mover: the second timestamped backup of an unchanged tree); backups after 1 % of
 * the files changed (a different 1 % each round); restores into empty directories, each checked against the
 * tree. The tree is put back as generated afterwards.
 */
public final class DataPathBench {
  private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(30);
  private static final DateTimeFormatter POINT = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss");

  /**
   * What to run.
   *
   * @param trees per S3 server ({@code minio}, {@code s3proxy}), the trees in order
   * @param warmups rounds run first and not counted
   * @param runs counted rounds
   * @param work where trees (kept between invocations), server data and run directories go
   * @param runTimeout longest one run may take
   */
  public record Settings(Map<String, List<Tree>> trees, List<String> contenders, int warmups, int runs, Path work,
      Duration runTimeout) {}

  /**
   * What was measured.
   *
   * @param records one per server, tree, scenario and contender
   * @param moverStart the mover's start time and memory on the first server
   * @param pageCache how page caches were equalised
   * @param loopbackIsolated whether the loopback counter saw only this benchmark's traffic
   * @param serverVersions what each server was
   */
  public record Outcome(List<DataRecord> records, MoverStart moverStart, String pageCache, boolean loopbackIsolated,
      Map<String, String> serverVersions) {}

  private final Settings settings;
  private final Tools tools;
  private final Consumer<String> progress;
  private final List<Contender> contenders;
  private LocalDateTime nextPoint = LocalDateTime.of(2026, 1, 1, 0, 0);
  private boolean dropCaches;

  public DataPathBench(Settings settings, Tools tools, Consumer<String> progress) {
    this.settings = settings;
    this.tools = tools;
    this.progress = progress;
    Path rclone = tools.rclone();
    this.contenders = Stream.<Contender>of(
        RcloneContender.defaults(rclone),
        RcloneContender.volSync(rclone),
        RcloneContender.goOperator(rclone),
        OurMover.fixedPath(tools.moverRuntime(), rclone),
        OurMover.pointInTime(tools.moverRuntime(), rclone))
        .filter(c -> settings.contenders().contains(c.name())).toList();
  }

  /** The contenders, the baseline first. */
  public List<Contender> contenders() {
    return contenders;
  }

  /** Runs every scenario on every tree and server. */
  public Outcome run() {
    dropCaches = ProcFs.dropCaches();
    String pageCache = dropCaches
        ? "dropped before every run (sync; echo 3 > /proc/sys/vm/drop_caches)"
        : "not dropped (not permitted here); the uncounted warm-up rounds leave every contender the same warm cache";
    List<DataRecord> records = new ArrayList<>();
    Map<String, String> versions = new LinkedHashMap<>();
    MoverStart moverStart = null;
    for (String serverName : settings.trees().keySet()) {
      Path serverDir = settings.work().resolve("servers").resolve(serverName + "-" + ProcessHandle.current().pid());
      try (S3Target server = start(serverName, serverDir)) {
        versions.put(server.name(), server.version());
        progress.accept("[data] " + server.version() + " at " + server.endpoint());
        for (Contender contender : contenders) {
          admin(server, "mkdir", Destination.REMOTE + ":" + bucket(contender));
        }
        for (Tree tree : settings.trees().get(serverName)) {
          records.addAll(new TreeRun(server, tree, prepare(tree)).run());
        }
        if (moverStart == null) {
          moverStart = measureMoverStart(server);
        }
      } finally {
        deleteRecursively(serverDir);
      }
    }
    return new Outcome(withRatios(records), moverStart, pageCache, ProcFs.loopbackIsolated(), versions);
  }

  private S3Target start(String name, Path dir) {
    return switch (name) {
      case "minio" -> {
        Path binary = tools.minio();
        yield MinioServer.start(binary, dir, minioVersion(binary));
      }
      case "s3proxy" -> S3ProxyTarget.start(tools.s3proxyJar(), s3proxyVersion(tools.s3proxyJar()));
      default -> throw new IllegalArgumentException("unknown S3 server '" + name + "'; use minio or s3proxy");
    };
  }

  private static String minioVersion(Path binary) {
    Commands.Result result = Commands.exec(List.of(binary.toString(), "--version"), null, null, Map.of(), Duration.ofSeconds(30));
    return result.stdout().lines().filter(line -> line.startsWith("minio version ")).findFirst()
        .map(line -> line.substring("minio version ".length()).strip()).orElse("unknown");
  }

  private static String s3proxyVersion(Path jar) {
    String file = jar.getFileName().toString();
    return file.startsWith("s3proxy-") ? file.substring("s3proxy-".length()).replace("-jar-with-dependencies.jar", "") : file;
  }

  private static String bucket(Contender contender) {
    return "bench-" + contender.name();
  }

  /** The tree on disk, generated once and kept between invocations (a stamp says it is complete and unchanged). */
  private Path prepare(Tree tree) {
    Path dir = settings.work().resolve("trees").resolve(tree.identity());
    Path stamp = stamp(tree);
    if (!Files.exists(stamp)) {
      progress.accept("[data] generating the tree " + tree.name() + ": " + tree.description());
      deleteRecursively(dir);
      tree.generate(dir);
      touch(stamp);
    }
    return dir;
  }

  private Path stamp(Tree tree) {
    return settings.work().resolve("trees").resolve(tree.identity() + ".ready");
  }

  /** The scenarios of one tree on one server. */
  private final class TreeRun {
    private final S3Target server;
    private final Tree tree;
    private final Path source;
    private final Map<Contender, Destination> destinations = new LinkedHashMap<>();
    private final Map<Contender, List<String>> points = new LinkedHashMap<>();
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();

    TreeRun(S3Target server, Tree tree, Path source) {
      this.server = server;
      this.tree = tree;
      this.source = source;
      for (Contender contender : contenders) {
        destinations.put(contender, new Destination(server, bucket(contender), tree.name()));
        points.put(contender, new ArrayList<>());
      }
    }

    List<DataRecord> run() {
      scenario(Scenario.FULL);
      scenario(Scenario.NOOP);
      try {
        Files.deleteIfExists(stamp(tree));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      scenario(Scenario.CHANGED);
      tree.revert(source, settings.warmups() + settings.runs());
      touch(stamp(tree));
      scenario(Scenario.RESTORE);
      for (Contender contender : contenders) {
        admin(server, "purge", destinations.get(contender).remotePath());
      }
      return records();
    }

    private void scenario(Scenario scenario) {
      int rounds = settings.warmups() + settings.runs();
      for (int round = 0; round < rounds; round++) {
        if (scenario == Scenario.CHANGED) {
          tree.change(source, round);
        }
        List<Contender> order = new ArrayList<>(contenders);
        Collections.rotate(order, -round);
        for (Contender contender : order) {
          Scenario recorded = scenario == Scenario.NOOP && contender.timestamped() ? Scenario.SECOND_TIMESTAMPED : scenario;
          Sample sample = once(scenario, contender, round);
          boolean counted = round >= settings.warmups();
          if (counted) {
            samples.computeIfAbsent(recorded.id() + "/" + contender.name(), k -> new ArrayList<>()).add(sample);
          }
          progress.accept(String.format("[data] %s %s %-18s %s %-18s %8.2f s%s", server.name(), tree.name(),
              recorded.id(), (round + 1) + "/" + rounds, contender.name(), sample.seconds(), counted ? "" : " (warm-up)"));
        }
      }
    }

    private Sample once(Scenario scenario, Contender contender, int round) {
      Destination destination = destinations.get(contender);
      Path runDir = settings.work().resolve("runs").resolve(String.join("-", server.name(), tree.name(), scenario.id(),
          Integer.toString(round), contender.name()));
      deleteRecursively(runDir);
      mkdirs(runDir);
      TimedCommand command;
      Path target = runDir.resolve("volume");
      switch (scenario) {
        case FULL -> {
          purge(destination);
          points.get(contender).clear();
          command = contender.backup(destination, source, newPoint(contender), runDir);
        }
        case RESTORE -> {
          mkdirs(target);
          command = contender.restore(destination, target, runDir);
        }
        default -> {
          keepNewestPoint(contender, destination);
          command = contender.backup(destination, source, newPoint(contender), runDir);
        }
      }
      Sample sample = measure(command, contender.name() + " " + scenario.id());
      if (scenario == Scenario.RESTORE) {
        tree.verify(target, contender.name() + "'s restore");
      }
      deleteRecursively(runDir);
      return sample;
    }

    private Sample measure(TimedCommand command, String what) {
      if (dropCaches) {
        ProcFs.dropCaches();
      }
      Map<String, Double> requestsBefore = server.requestsByOperation();
      long loopbackBefore = ProcFs.loopbackBytes();
      TimedCommand.Outcome outcome = command.run(settings.runTimeout());
      long loopback = ProcFs.loopbackBytes() - loopbackBefore;
      Map<String, Double> requests = Prometheus.delta(requestsBefore, server.requestsByOperation());
      if (outcome.exitCode() != 0) {
        throw new IllegalStateException(what + " on " + server.name() + " failed with exit code " + outcome.exitCode()
            + "; the end of " + command.log() + ":\n" + TimedCommand.tail(command.log(), 30));
      }
      return new Sample(outcome.seconds(), loopback, requests);
    }

    private String newPoint(Contender contender) {
      String point = nextPoint.format(POINT);
      nextPoint = nextPoint.plusMinutes(1);
      if (contender.timestamped()) {
        points.get(contender).add(point);
      }
      return point;
    }

    /** Before a timestamped backup: only the newest earlier point in time stays, as a second backup would find it. */
    private void keepNewestPoint(Contender contender, Destination destination) {
      List<String> existing = points.get(contender);
      while (existing.size() > 1) {
        admin(server, "purge", destination.remotePath() + "/" + existing.removeFirst());
      }
    }

    private void purge(Destination destination) {
      Rclone.Result result = Rclone.run(server.rcloneRemote(Destination.REMOTE), null, ADMIN_TIMEOUT,
          List.of("--config", "/dev/null", "purge", destination.remotePath()));
      if (!result.ok() && !result.stderr().contains("directory not found")) {
        result.orThrow("purge " + destination.remotePath());
      }
    }

    private List<DataRecord> records() {
      List<DataRecord> records = new ArrayList<>();
      samples.forEach((key, list) -> {
        String scenario = key.substring(0, key.indexOf('/'));
        String contenderName = key.substring(key.indexOf('/') + 1);
        Contender contender = contenders.stream().filter(c -> c.name().equals(contenderName)).findFirst().orElseThrow();
        Summary seconds = Summary.of(list.stream().map(Sample::seconds).toList());
        records.add(new DataRecord(server.name(), tree.name(), tree.files(), tree.bytes(), scenario, contenderName,
            contender.ourMover(),
            seconds.median(), seconds.min(), seconds.max(), seconds.runs(), seconds.samples(),
            Double.NaN, scenario.equals(Scenario.SECOND_TIMESTAMPED.id()) ? Scenario.NOOP.id() : scenario,
            Summary.of(list.stream().map(s -> (double) s.loopbackBytes()).toList()),
            Summary.of(list.stream().map(s -> s.requests().values().stream().mapToDouble(Double::doubleValue).sum()).toList()),
            medianPerOperation(list)));
      });
      return records;
    }
  }

  /** What one run measured. */
  private record Sample(double seconds, long loopbackBytes, Map<String, Double> requests) {}

  private static Map<String, Double> medianPerOperation(List<Sample> samples) {
    Map<String, Double> medians = new TreeMap<>();
    samples.stream().flatMap(s -> s.requests().keySet().stream()).distinct().forEach(op ->
        medians.put(op, Summary.of(samples.stream().map(s -> s.requests().getOrDefault(op, 0.0)).toList()).median()));
    return medians;
  }

  /** Fills each record's ratio to the baseline's median of the same server, tree and (baseline) scenario. */
  private List<DataRecord> withRatios(List<DataRecord> records) {
    String baseline = contenders.stream().filter(Contender::baseline).findFirst().orElseThrow().name();
    return records.stream().map(r -> {
      double base = records.stream()
          .filter(b -> b.contender().equals(baseline) && b.server().equals(r.server()) && b.tree().equals(r.tree())
              && b.scenario().equals(r.baselineScenario()))
          .mapToDouble(DataRecord::medianSeconds).findFirst().orElse(Double.NaN);
      return new DataRecord(r.server(), r.tree(), r.treeFiles(), r.treeBytes(), r.scenario(), r.contender(), r.ourMover(),
          r.medianSeconds(), r.minSeconds(), r.maxSeconds(), r.runs(), r.samplesSeconds(),
          r.medianSeconds() / base, r.baselineScenario(), r.loopbackBytes(), r.s3Requests(), r.s3RequestsByOperation());
    }).toList();
  }

  /**
   * The mover's own start-up cost: a fixed-path backup of a one-file volume, timing the launch until the mover
   * starts its first rclone process, and sampling the resident memory of the mover process itself (not rclone).
   */
  private MoverStart measureMoverStart(S3Target server) {
    Tree tiny = Tree.smallFiles(1, 4096);
    Path source = prepare(tiny);
    OurMover mover = OurMover.fixedPath(tools.moverRuntime(), tools.rclone());
    Destination destination = new Destination(server, bucket(mover), "mover-start");
    List<Double> starts = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    for (int round = 0; round < settings.warmups() + settings.runs(); round++) {
      Path runDir = settings.work().resolve("runs").resolve("mover-start-" + round);
      deleteRecursively(runDir);
      mkdirs(runDir);
      TimedCommand command = mover.backup(destination, source, null, runDir);
      MoverSampler sampler = new MoverSampler();
      TimedCommand.Outcome outcome = command.run(settings.runTimeout(), sampler::follow);
      if (outcome.exitCode() != 0) {
        throw new IllegalStateException("the mover's start-up run failed; the end of " + command.log() + ":\n"
            + TimedCommand.tail(command.log(), 30));
      }
      if (round >= settings.warmups()) {
        starts.add(sampler.firstRcloneNanos < 0 ? Double.NaN : sampler.firstRcloneNanos / 1e9);
        rss.add((double) sampler.peakRss);
        walls.add(outcome.seconds());
      }
      deleteRecursively(runDir);
    }
    return new MoverStart(mover.description(), Summary.of(starts), Summary.of(rss),
        Summary.of(walls));
  }

  /** Follows a running mover: when its first rclone child appears, and its own peak resident memory. */
  private static final class MoverSampler {
    private long firstRcloneNanos = -1;
    private long peakRss;

    void follow(Process process) {
      long started = System.nanoTime();
      while (process.isAlive()) {
        if (firstRcloneNanos < 0 && process.descendants().anyMatch(MoverSampler::isRclone)) {
          firstRcloneNanos = System.nanoTime() - started;
        }
        ProcFs.rssBytes(process.pid()).ifPresent(bytes -> peakRss = Math.max(peakRss, bytes));
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static boolean isRclone(ProcessHandle handle) {
      return handle.info().command().map(c -> c.endsWith("/rclone")).orElse(false);
    }
  }

  private void admin(S3Target server, String... args) {
    List<String> command = new ArrayList<>(List.of("--config", "/dev/null"));
    command.addAll(List.of(args));
    Rclone.run(server.rcloneRemote(Destination.REMOTE), null, ADMIN_TIMEOUT, command).orThrow(String.join(" ", args));
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void touch(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "complete and unchanged\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    try {
      FileUtils.deleteDirectory(dir.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}

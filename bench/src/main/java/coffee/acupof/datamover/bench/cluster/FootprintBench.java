package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Starts the operator with each JVM variant, interleaved (the variants of a round one after the other, the order
 * rotating from round to round, warm-up rounds not counted): the time to HTTP, to leading and to ready, then
 * memory and CPU after it settled. Each start takes the Lease the previous one gave up on its graceful stop.
 */
final class FootprintBench {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /**
   * @param variants the JVM variants
   * @param warmups rounds run first and not counted
   * @param runs counted rounds
   * @param settle how long after ready before the idle window starts
   * @param window the idle window
   */
  record Settings(List<JvmVariant> variants, int warmups, int runs, Duration settle, Duration window) {}

  private final BenchCluster cluster;
  private final OperatorJar jar;
  private final Settings settings;
  private final Path logs;
  private final Consumer<String> progress;

  FootprintBench(BenchCluster cluster, OperatorJar jar, Settings settings, Path logs, Consumer<String> progress) {
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.cluster = cluster;
    this.jar = jar;
    this.settings = settings;
    this.logs = logs;
    this.progress = progress;
  }

  /** One record per variant, with {@code objects} DataMovers in the cluster. */
  List<FootprintRecord> run(int objects) {
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    settings.variants().forEach(v -> samples.put(v.name(), new ArrayList<>()));
    int rounds = settings.warmups() + settings.runs();
    for (int round = 0; round < rounds; round++) {
      List<JvmVariant> order = new ArrayList<>(settings.variants());
      Collections.rotate(order, -round);
      for (JvmVariant variant : order) {
        Sample sample = once(variant, objects, round);
        boolean counted = round >= settings.warmups();
        if (counted) {
          samples.get(variant.name()).add(sample);
        }
        progress.accept(String.format("[footprint] %d objects %s %-18s ready %.2f s, idle %.0f MiB, %.2f %% CPU%s",
            objects, (round + 1) + "/" + rounds, variant.name(), sample.start().readySeconds(), sample.idle().rssMiB(),
            sample.idle().cpuPercent(), counted ? "" : " (warm-up)"));
      }
    }
    return settings.variants().stream().map(v -> record(v, objects, samples.get(v.name()))).toList();
  }

  private record Sample(OperatorUnderTest.Start start, double rssAtReadyMiB, OperatorFigures idle) {}

  private Sample once(JvmVariant variant, int objects, int round) {
    List<String> command = jar.command(variant);
    Path log = logs.resolve("operator-" + variant.name() + "-" + objects + "-" + round + ".log");
    try (OperatorUnderTest operator = OperatorUnderTest.start(command, variant.environment(), cluster.kubeconfig(), log)) {
      OperatorUnderTest.Start start = operator.awaitReady(READY_TIMEOUT);
      double rssAtReady = operator.rssBytes() / OperatorFigures.MIB;
      Pause.of(settings.settle());
      return new Sample(start, rssAtReady, OperatorFigures.measure(operator, settings.window()));
    }
  }

  private static FootprintRecord record(JvmVariant variant, int objects, List<Sample> samples) {
    return new FootprintRecord(variant.name(), variant.flags(), variant.environment(), variant.shipped(), objects,
        summary(samples, s -> s.start().httpSeconds()),
        summary(samples, s -> s.start().leaderSeconds()),
        summary(samples, s -> s.start().readySeconds()),
        summary(samples, Sample::rssAtReadyMiB),
        summary(samples, s -> s.idle().rssMiB()),
        summary(samples, s -> s.idle().cpuPercent()),
        summary(samples, s -> s.idle().heapUsedMiB()),
        summary(samples, s -> s.idle().nonHeapUsedMiB()),
        summary(samples, s -> s.idle().liveThreads()));
  }

  private static Summary summary(List<Sample> samples, Function<Sample, Double> value) {
    return Summary.of(samples.stream().map(value).toList());
  }

}

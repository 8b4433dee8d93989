package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.TimedCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator jar as each JVM variant runs it: the Spring Boot jar as built, or extracted (Spring Boot's
 * {@code -Djarmode=tools extract}) with an AOT cache from a training run that starts the application context
 * and exits ({@code -Dspring.context.exit=onRefresh}) — the same two commands {@code app/Dockerfile} runs, so
 * the cache measured here is the cache the image ships.
 */
final class OperatorJar {
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);

  private final Path java;
  private final Path jar;
  private final Path work;
  private final Map<String, Path> caches = new HashMap<>();
  private Path extracted;

  OperatorJar(Path java, Path jar, Path work) {
    this.java = java;
    this.jar = jar;
    this.work = work;
  }

  /** The java command line (up to and including the jar) that runs {@code variant}. */
  List<String> command(JvmVariant variant) {
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(variant.flags());
    if (variant.aotCache()) {
      // AOTMode=on: a cache that cannot be used fails the start instead of being measured as a cache.
      command.addAll(List.of("-XX:AOTCache=" + cache(variant), "-XX:AOTMode=on", "-jar", extracted().toString()));
    } else {
      command.addAll(List.of("-jar", jar.toString()));
    }
    return command;
  }

  /** The extracted jar (extracted once). */
  private synchronized Path extracted() {
    if (extracted == null) {
      Path dir = work.resolve("extracted");
      run(List.of(java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force", "--destination",
          dir.toString()), "extract the operator jar");
      extracted = dir.resolve(jar.getFileName());
    }
    return extracted;
  }

  /**
   * The AOT cache of {@code variant}, made once by a training run with the variant's runtime flags and no memory
   * settings, as in the image build.
   */
  private synchronized Path cache(JvmVariant variant) {
    return caches.computeIfAbsent(variant.name(), name -> {
      Path cache = work.resolve("aot").resolve(name + ".aot");
      List<String> training = new ArrayList<>(List.of(java.toString()));
      training.addAll(variant.runtimeFlags());
      training.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar",
          extracted().toString(), "--server.port=0"));
      run(training, "train the AOT cache of " + name);
      if (!Files.isRegularFile(cache)) {
        throw new IllegalStateException("the training run did not write " + cache);
      }
      return cache;
    });
  }

  private void run(List<String> command, String what) {
    try {
      Files.createDirectories(work.resolve("aot"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = work.resolve("aot").resolve("steps.log");
    TimedCommand.Outcome outcome = new TimedCommand(command, Map.of("PATH", "/usr/bin:/bin"), log).run(STEP_TIMEOUT);
    if (outcome.exitCode() != 0) {
      throw new IllegalStateException("could not " + what + " (exit " + outcome.exitCode() + "); the end of " + log + ":\n"
          + TimedCommand.tail(log, 30));
    }
  }
}

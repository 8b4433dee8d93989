package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Prometheus;
import coffee.acupof.datamover.bench.Summary;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The control-plane benchmark: many DataMovers with valid inputs driven through the operator with bounded
 * concurrency (a new one is created when one ends), then many waiting on a PVC that does not exist. It reports
 * latencies from the user's side (create to Job, create to Completed), status writes per run against phases
 * entered, the API requests of the window, and the operator's memory and CPU.
 */
final class ControlPlaneBench {
  static final String RUNS = "bench-runs";
  static final String MISSING = "bench-missing";
  private static final Duration TRAILING_WRITES = Duration.ofSeconds(5);

  /**
   * @param objects DataMovers with valid inputs
   * @param concurrency at most this many unfinished at a time
   * @param missingObjects DataMovers waiting on a missing PVC
   * @param settle wait after the operator became ready before it is measured idle
   * @param window how long idle and waiting figures are measured
   * @param timeout longest the valid runs may take together
   */
  record Settings(int objects, int concurrency, int missingObjects, Duration settle, Duration window, Duration timeout) {}

  private final BenchCluster cluster;
  private final Settings settings;
  private final Consumer<String> progress;

  ControlPlaneBench(BenchCluster cluster, Settings settings, Consumer<String> progress) {
    this.cluster = cluster;
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs both parts against {@code operator} (ready, leading), which runs JVM variant {@code variant}. */
  ControlPlaneResult run(OperatorUnderTest operator, String variant) {
    progress.accept("[control-plane] operator idle with no DataMover");
    Pause.of(settings.settle());
    OperatorFigures idleEmpty = OperatorFigures.measure(operator, settings.window());
    cluster.namespaceWithSecret(RUNS);
    List<String> sources = IntStream.range(0, settings.objects()).mapToObj(i -> String.format("src-%04d", i)).toList();
    cluster.boundPvcs(RUNS, sources);

    Semaphore slots = new Semaphore(settings.concurrency());
    Map<String, Double> before = cluster.requestCounts();
    long started = System.nanoTime();
    List<RunTracker.Track> tracks;
    try (RunTracker tracker = RunTracker.watch(cluster.watchClient(), RUNS, name -> slots.release())) {
      for (int i = 0; i < settings.objects(); i++) {
        acquire(slots);
        String name = String.format("run-%04d", i);
        tracker.created(name);
        cluster.createDataMover(RUNS, name, sources.get(i));
        if ((i + 1) % Math.max(1, settings.objects() / 10) == 0) {
          progress.accept("[control-plane] created " + (i + 1) + "/" + settings.objects());
        }
      }
      awaitAll(tracker, settings.objects(), started, operator);
      tracks = List.copyOf(tracker.tracks().values());
    }
    double wall = (System.nanoTime() - started) / 1e9;
    Pause.of(TRAILING_WRITES);
    List<ApiRequests> requests = ApiRequests.of(Prometheus.delta(before, cluster.requestCounts()), settings.objects());
    progress.accept(String.format("[control-plane] %d runs ended in %.1f s", settings.objects(), wall));

    progress.accept("[control-plane] operator idle with " + settings.objects() + " finished DataMovers");
    OperatorFigures idleLoaded = OperatorFigures.measure(operator, settings.window());
    MissingPvcResult missing = missingPvc(operator);

    long failed = tracks.stream().filter(t -> "Failed".equals(t.endPhase)).count();
    List<Double> writes = tracks.stream().map(t -> (double) t.statusWrites).toList();
    List<Double> phases = tracks.stream().map(t -> (double) t.phases.size()).toList();
    double maxWritesPerPhase = tracks.stream().mapToDouble(t -> (double) t.statusWrites / Math.max(1, t.phases.size())).max().orElse(Double.NaN);
    double statusPatches = requests.stream().filter(r -> r.request().equals("PATCH datamovers/status"))
        .mapToDouble(ApiRequests::perObject).sum();
    return new ControlPlaneResult(variant, settings.objects(), settings.concurrency(), wall, settings.objects() / wall,
        Percentiles.of(tracks.stream().map(RunTracker.Track::createToJobSeconds).toList()),
        Percentiles.of(tracks.stream().map(RunTracker.Track::createToEndSeconds).toList()),
        (int) (tracks.size() - failed), (int) failed, Summary.of(writes), Summary.of(phases), maxWritesPerPhase,
        statusPatches, requests, ApiRequests.operatorPerObject(requests), idleEmpty, idleLoaded, missing,
        typical(tracks, writes).map(t -> List.copyOf(t.phases)).orElse(List.of()),
        typical(tracks, writes).map(t -> List.copyOf(t.writes)).orElse(List.of()));
  }

  /** A run with the median number of status writes. */
  private static Optional<RunTracker.Track> typical(List<RunTracker.Track> tracks, List<Double> writes) {
    double median = Summary.percentile(writes, 50);
    return tracks.stream().filter(t -> t.statusWrites == (int) median).findFirst();
  }

  private void awaitAll(RunTracker tracker, int objects, long started, OperatorUnderTest operator) {
    long deadline = started + settings.timeout().toNanos();
    while (tracker.tracks().values().stream().filter(t -> t.endNanos >= 0).count() < objects) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + tracker.tracks().values().stream().filter(t -> t.endNanos >= 0).count()
            + " of " + objects + " DataMovers ended within " + settings.timeout() + "; the operator's log ends:\n"
            + operator.logTail());
      }
      Pause.of(Duration.ofMillis(100));
    }
  }

  /** DataMovers whose source PVC does not exist: how fast they report it and what waiting costs. */
  private MissingPvcResult missingPvc(OperatorUnderTest operator) {
    int objects = settings.missingObjects();
    progress.accept("[control-plane] " + objects + " DataMovers waiting on a missing PVC");
    cluster.namespaceWithSecret(MISSING);
    Map<String, Double> before = cluster.requestCounts();
    try (RunTracker tracker = RunTracker.watch(cluster.watchClient(), MISSING, name -> {})) {
      long started = System.nanoTime();
      for (int i = 0; i < objects; i++) {
        String name = String.format("wait-%04d", i);
        tracker.created(name);
        cluster.createDataMover(MISSING, name, String.format("absent-%04d", i));
      }
      long deadline = started + settings.timeout().toNanos();
      while (tracker.tracks().values().stream().filter(t -> t.firstStatusNanos >= 0).count() < objects) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("not every waiting DataMover got a status within " + settings.timeout());
        }
        Pause.of(Duration.ofMillis(100));
      }
      Pause.of(TRAILING_WRITES);
      Map<String, Double> reported = cluster.requestCounts();
      List<ApiRequests> toFirstStatus = ApiRequests.of(Prometheus.delta(before, reported), objects);
      OperatorFigures figures = OperatorFigures.measure(operator, settings.window());
      List<ApiRequests> whileWaiting = ApiRequests.of(Prometheus.delta(reported, cluster.requestCounts()), objects);
      List<RunTracker.Track> tracks = List.copyOf(tracker.tracks().values());
      MissingPvcResult result = new MissingPvcResult(objects,
          Percentiles.of(tracks.stream().map(RunTracker.Track::createToFirstStatusSeconds).toList()),
          Summary.of(tracks.stream().map(t -> (double) t.statusWrites).toList()),
          tracks.stream().map(t -> t.phases.isEmpty() ? "(none)" : t.phases.getLast()).distinct().sorted().toList(),
          toFirstStatus, ApiRequests.operatorPerObject(toFirstStatus), settings.window().toMillis() / 1000.0, whileWaiting,
          whileWaiting.stream().filter(r -> r.sender().equals("operator")).mapToDouble(ApiRequests::count).sum(), figures);
      deleteAll(MISSING);
      return result;
    }
  }

  private void deleteAll(String namespace) {
    try {
      new CustomObjectsApi(cluster.client())
          .deleteCollectionNamespacedCustomObject(BenchCluster.GROUP, BenchCluster.VERSION, namespace, BenchCluster.PLURAL)
          .execute();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot delete the DataMovers of " + namespace + ": " + e.getResponseBody(), e);
    }
  }

  private static void acquire(Semaphore slots) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}

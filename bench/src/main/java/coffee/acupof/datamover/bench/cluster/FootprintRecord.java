package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Summary;
import java.util.List;
import java.util.Map;

/**
 * The operator's start and idle figures with one JVM variant and a number of DataMovers in the cluster.
 *
 * @param variant the JVM variant
 * @param flags its flags (the AOT cache's file left out)
 * @param environment variables it ran with
 * @param shipped whether the image ships this variant
 * @param objects DataMovers in the cluster (finished ones: the operator lists them, it does not reconcile them)
 * @param httpSeconds from launch until the HTTP server first answered
 * @param leaderSeconds from launch until readiness said it leads
 * @param readySeconds from launch until readiness was UP (leader, every informer synced)
 * @param rssAtReadyMiB resident memory when it became ready
 * @param idleRssMiB resident memory after settling and an idle window
 * @param idleCpuPercent CPU over the idle window, percent of one core
 * @param heapUsedMiB heap in use at the end of the window
 * @param nonHeapUsedMiB non-heap memory in use at the end of the window (metaspace, code cache, ...)
 * @param liveThreads live threads at the end of the window
 */
public record FootprintRecord(
    String variant,
    List<String> flags,
    Map<String, String> environment,
    boolean shipped,
    int objects,
    Summary httpSeconds,
    Summary leaderSeconds,
    Summary readySeconds,
    Summary rssAtReadyMiB,
    Summary idleRssMiB,
    Summary idleCpuPercent,
    Summary heapUsedMiB,
    Summary nonHeapUsedMiB,
    Summary liveThreads) {}

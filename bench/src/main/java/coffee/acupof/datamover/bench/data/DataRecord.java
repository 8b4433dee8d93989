package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.Summary;
import java.util.List;
import java.util.Map;

/**
 * The measured runs of one contender in one scenario on one tree and server: wall time (median, min, max,
 * runs), its ratio to the baseline's median, bytes over the loopback and S3 requests the server counted.
 *
 * @param ratioToBaseline this median divided by the baseline's median of {@code baselineScenario} on the same
 *     tree and server (1 for the baseline itself)
 * @param loopbackBytes bytes sent over the loopback interface during the run (requests, data and answers)
 * @param s3Requests S3 requests the server counted during the run
 * @param s3RequestsByOperation median requests per S3 operation
 */
public record DataRecord(
    String server,
    String tree,
    long treeFiles,
    long treeBytes,
    String scenario,
    String contender,
    boolean ourMover,
    double medianSeconds,
    double minSeconds,
    double maxSeconds,
    int runs,
    List<Double> samplesSeconds,
    double ratioToBaseline,
    String baselineScenario,
    Summary loopbackBytes,
    Summary s3Requests,
    Map<String, Double> s3RequestsByOperation) {}

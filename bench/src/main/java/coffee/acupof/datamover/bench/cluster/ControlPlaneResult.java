package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Summary;
import java.util.List;

/**
 * What the control-plane benchmark measured.
 *
 * @param operatorVariant the JVM variant the operator ran with
 * @param objects DataMovers with valid inputs
 * @param concurrency at most this many unfinished at a time
 * @param wallSeconds from the first create until the last one ended
 * @param runsPerSecond objects / wallSeconds
 * @param createToJobSeconds from the create call until the mover Job appeared in a watch
 * @param createToEndSeconds from the create call until the DataMover was Completed (or Failed)
 * @param completed runs that ended Completed
 * @param failed runs that ended Failed
 * @param statusWritesPerRun status changes seen per DataMover
 * @param phasesPerRun phases each DataMover entered (the first status write enters phase "")
 * @param maxStatusWritesPerPhase the highest ratio of status writes to phases entered of any run
 * @param statusPatchesPerRun {@code PATCH datamovers/status} requests per run, from the API server's metrics
 * @param apiRequests every request of the window, per verb and resource
 * @param operatorRequestsPerRun the operator's requests per run (the Lease left out)
 * @param idleEmpty the operator before any DataMover existed
 * @param idleLoaded the operator after the runs, with all of them in its caches
 * @param missingPvc the DataMovers that wait on a missing PVC
 * @param typicalPhases the phases of a run with the median number of status writes, in order
 * @param typicalWrites that run's status writes: the phase after each and the status fields it changed
 */
public record ControlPlaneResult(
    String operatorVariant,
    int objects,
    int concurrency,
    double wallSeconds,
    double runsPerSecond,
    Percentiles createToJobSeconds,
    Percentiles createToEndSeconds,
    int completed,
    int failed,
    Summary statusWritesPerRun,
    Summary phasesPerRun,
    double maxStatusWritesPerPhase,
    double statusPatchesPerRun,
    List<ApiRequests> apiRequests,
    double operatorRequestsPerRun,
    OperatorFigures idleEmpty,
    OperatorFigures idleLoaded,
    MissingPvcResult missingPvc,
    List<String> typicalPhases,
    List<String> typicalWrites) {}

package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Summary;
import java.util.List;

/**
 * DataMovers waiting on a PVC that does not exist.
 *
 * @param objects how many
 * @param createToFirstStatusSeconds from the create call until the first status write was seen
 * @param statusWritesPerObject status writes seen per object by the end of the waiting window
 * @param phases the phases they were in at the end
 * @param apiRequestsToFirstStatus requests from the first create until every object had a status
 * @param operatorRequestsPerObject the operator's requests per object in that part (the Lease left out)
 * @param windowSeconds the waiting window after that
 * @param apiRequestsWhileWaiting requests during the waiting window
 * @param operatorRequestsWhileWaiting the operator's requests during the waiting window (the Lease included)
 * @param operator the operator's memory and CPU over the waiting window
 */
public record MissingPvcResult(
    int objects,
    Percentiles createToFirstStatusSeconds,
    Summary statusWritesPerObject,
    List<String> phases,
    List<ApiRequests> apiRequestsToFirstStatus,
    double operatorRequestsPerObject,
    double windowSeconds,
    List<ApiRequests> apiRequestsWhileWaiting,
    double operatorRequestsWhileWaiting,
    OperatorFigures operator) {}

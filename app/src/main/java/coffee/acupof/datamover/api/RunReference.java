package coffee.acupof.datamover.api;

/**
 * A reference to one run (a DataMover, or a DataMoverRestore of a schedule of restores) of a schedule,
 * as CronJob's {@code status.active} lists its Jobs.
 */
public record RunReference(String apiVersion, String kind, String namespace, String name, String uid) {}

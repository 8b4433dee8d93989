package coffee.acupof.datamover.api;

/** A reference to one run (a DataMover) of a schedule, as CronJob's {@code status.active} lists its Jobs. */
public record RunReference(String apiVersion, String kind, String namespace, String name, String uid) {

  public static RunReference to(DataMover run) {
    return new RunReference(DataMoverApi.API_VERSION, DataMoverApi.KIND, run.namespace(), run.name(), run.getMetadata().getUid());
  }
}

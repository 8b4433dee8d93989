package coffee.acupof.datamover.api;

import coffee.acupof.datamover.runtime.ManagedResource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** The {@code DataMoverSchedule} custom resource: DataMover runs on a cron schedule, with retention of old backups. */
public class DataMoverSchedule implements ManagedResource<DataMoverScheduleStatus> {
  private String apiVersion = DataMoverApi.API_VERSION;
  private String kind = DataMoverApi.SCHEDULE_KIND;
  private V1ObjectMeta metadata = new V1ObjectMeta();
  private DataMoverScheduleSpec spec;
  private DataMoverScheduleStatus status;

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  @Override
  public V1ObjectMeta getMetadata() {
    return metadata;
  }

  public DataMoverSchedule metadata(V1ObjectMeta value) {
    this.metadata = value;
    return this;
  }

  public DataMoverScheduleSpec getSpec() {
    return spec;
  }

  public DataMoverSchedule spec(DataMoverScheduleSpec value) {
    this.spec = value;
    return this;
  }

  /** The status, never null: a new schedule has the empty status. */
  @Override
  public DataMoverScheduleStatus getStatus() {
    return status == null ? DataMoverScheduleStatus.EMPTY : status;
  }

  public DataMoverSchedule status(DataMoverScheduleStatus value) {
    this.status = value;
    return this;
  }
}

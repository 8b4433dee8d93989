package coffee.acupof.datamover.api;

/** The {@code DataMoverSchedule} custom resource: DataMover runs on a cron schedule, with retention of old backups. */
public class DataMoverSchedule extends CustomResource<DataMoverSchedule, DataMoverScheduleSpec, DataMoverScheduleStatus> {

  public DataMoverSchedule() {
    super(DataMoverApi.SCHEDULE_KIND);
  }

  /** A new schedule has the empty status. */
  @Override
  protected DataMoverScheduleStatus emptyStatus() {
    return DataMoverScheduleStatus.EMPTY;
  }
}

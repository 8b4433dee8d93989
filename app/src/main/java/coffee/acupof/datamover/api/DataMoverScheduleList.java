package coffee.acupof.datamover.api;

/** A list of {@link DataMoverSchedule}s as the API server returns it. */
public class DataMoverScheduleList extends CustomResourceList<DataMoverSchedule> {
  public DataMoverScheduleList() {
    super("DataMoverScheduleList");
  }
}

package coffee.acupof.datamover.api;

/** The {@code DataMover} custom resource: one point-in-time copy of a PVC to an rclone remote. */
public class DataMover extends CustomResource<DataMover, DataMoverSpec, DataMoverStatus> {

  public DataMover() {
    super(DataMoverApi.KIND);
  }

  /** A new object has the empty status (phase {@code ""}). */
  @Override
  protected DataMoverStatus emptyStatus() {
    return DataMoverStatus.EMPTY;
  }
}

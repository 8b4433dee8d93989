package coffee.acupof.datamover.api;

/**
 * The {@code DataMoverRestore} custom resource: one restore of a complete backup into a PVC, or, as a
 * volume populator, into the PVC that names it as its data source.
 */
public class DataMoverRestore extends CustomResource<DataMoverRestore, DataMoverRestoreSpec, DataMoverRestoreStatus> {

  public DataMoverRestore() {
    super(DataMoverApi.RESTORE_KIND);
  }

  @Override
  protected DataMoverRestoreStatus emptyStatus() {
    return DataMoverRestoreStatus.EMPTY;
  }
}

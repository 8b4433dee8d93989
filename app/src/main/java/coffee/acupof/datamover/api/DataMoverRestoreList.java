package coffee.acupof.datamover.api;

/** A list of {@link DataMoverRestore}s as the API server returns it. */
public class DataMoverRestoreList extends CustomResourceList<DataMoverRestore> {
  public DataMoverRestoreList() {
    super("DataMoverRestoreList");
  }
}

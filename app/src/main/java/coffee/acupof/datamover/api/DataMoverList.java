package coffee.acupof.datamover.api;

/** A list of {@link DataMover}s as the API server returns it. */
public class DataMoverList extends CustomResourceList<DataMover> {
  public DataMoverList() {
    super("DataMoverList");
  }
}

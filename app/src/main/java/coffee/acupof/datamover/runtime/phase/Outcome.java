package coffee.acupof.datamover.runtime.phase;

/** How the work of the phase a run leaves went, for metrics. */
public enum Outcome {
  SUCCESS,
  FAILURE;

  /** The label value of metrics ({@code success}/{@code failure}). */
  public String label() {
    return this == SUCCESS ? "success" : "failure";
  }
}

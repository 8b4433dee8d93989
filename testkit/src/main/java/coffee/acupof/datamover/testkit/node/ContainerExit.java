package coffee.acupof.datamover.testkit.node;

/**
 * How a container ended: its exit code and its termination message (what it wrote to its
 * termination message file, or the end of its log with {@code FallbackToLogsOnError}).
 */
public record ContainerExit(int exitCode, String message) {
  public ContainerExit {
    message = message == null ? "" : message;
  }
}

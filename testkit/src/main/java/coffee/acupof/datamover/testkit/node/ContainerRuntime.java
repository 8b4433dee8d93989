package coffee.acupof.datamover.testkit.node;

/**
 * What the {@link Kubelet} stand-in runs a pod's container with, in place of a container runtime:
 * a local process ({@link coffee.acupof.datamover.testkit.LocalExecutor}) or an end the test
 * decides ({@link ScriptedRuntime}). The kubelet chooses one per namespace.
 */
public interface ContainerRuntime {

  /**
   * Starts the container of {@code pod}; the kubelet marks the pod Running once this returns.
   *
   * @throws ContainerConfigException when the container cannot be created as configured (a missing
   *     Secret, say): the kubelet keeps the pod Pending with reason CreateContainerConfigError and tries
   *     again, as a kubelet does
   */
  StartedContainer start(PodRun pod) throws ContainerConfigException;

  /** A running container. */
  interface StartedContainer {
    /**
     * Waits until the container ends and says how.
     *
     * @throws InterruptedException when the pod is being deleted or the kubelet stops; the container
     *     must be stopped before this returns
     */
    ContainerExit awaitExit() throws InterruptedException;
  }

  /** A reason the container cannot be created, like the kubelet's CreateContainerConfigError. */
  final class ContainerConfigException extends Exception {
    public ContainerConfigException(String message) {
      super(message);
    }
  }
}

package coffee.acupof.datamover.testkit.node;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pod the {@link Kubelet} stand-in runs, as a {@link ContainerRuntime} gets it.
 *
 * @param pod the pod as it was when the kubelet started it
 * @param container its (first) container
 * @param mounts the container's mount paths and the local directories behind them: the PV's
 *     directory for a PVC, a directory of the pod's own for an emptyDir, and one holding the projected
 *     keys for a Secret or ConfigMap volume
 * @param directory a directory of the pod's own (as the kubelet's pod directory), for files such as
 *     the termination message file
 */
public record PodRun(V1Pod pod, V1Container container, Map<String, Path> mounts, Path directory) {

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  @Override
  public String toString() {
    return "pod " + namespace() + "/" + name();
  }
}

package coffee.acupof.datamover.testkit.node;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A container runtime whose containers end as the test says: the test queues how the next pods of
 * a Job end ({@link #nextPodExits}), and each pod of that Job the kubelet starts takes the next
 * queued end, staying Running until there is one. What happens after an end (another pod after a
 * back-off, the Job Complete or Failed) is the real Job controller's decision.
 *
 * <p>Pods without the {@code batch.kubernetes.io/job-name} label are keyed by their own name.
 */
public final class ScriptedRuntime implements ContainerRuntime {
  private static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

  private final Map<String, BlockingQueue<ContainerExit>> exits = new ConcurrentHashMap<>();

  /** The next pod of Job {@code namespace/job} that starts (or the one running now) ends with this exit. */
  public void nextPodExits(String namespace, String job, int exitCode, String terminationMessage) {
    queue(namespace, job).add(new ContainerExit(exitCode, terminationMessage));
  }

  @Override
  public StartedContainer start(PodRun pod) {
    var labels = pod.pod().getMetadata().getLabels();
    String owner = labels != null && labels.containsKey(JOB_NAME_LABEL) ? labels.get(JOB_NAME_LABEL) : pod.name();
    BlockingQueue<ContainerExit> queue = queue(pod.namespace(), owner);
    return queue::take;
  }

  private BlockingQueue<ContainerExit> queue(String namespace, String owner) {
    return exits.computeIfAbsent(namespace + "/" + owner, key -> new LinkedBlockingQueue<>());
  }
}

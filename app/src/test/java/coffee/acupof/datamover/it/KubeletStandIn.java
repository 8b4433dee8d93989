package coffee.acupof.datamover.it;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;

/**
 * The kubelet of the test cluster's node, as an operator integration test drives it for one mover
 * Job: the real Job controller makes the Job's pods, the real scheduler binds them to the node, the
 * real PV binder binds the clone, and the test says how each pod's container ends. Whether another
 * pod follows (after the Job controller's back-off) or the Job is Complete or Failed is the Job
 * controller's decision, as in a cluster.
 */
public final class KubeletStandIn {
  private final String namespace;
  private final String jobName;

  /** A stand-in for the pods of one mover Job. */
  public KubeletStandIn(String namespace, String jobName) {
    this.namespace = namespace;
    this.jobName = jobName;
  }

  public V1Job job() {
    try {
      return TestCluster.batch().readNamespacedJob(jobName, namespace).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read Job " + jobName + ": " + e.getResponseBody(), e);
    }
  }

  /**
   * The next pod of the Job that the kubelet runs (or the one running now) ends with this exit code
   * and the termination message the mover wrote. Calls queue up: one per attempt.
   */
  public void nextPodExits(int exitCode, String terminationMessage) {
    TestCluster.scriptedPods().nextPodExits(namespace, jobName, exitCode, terminationMessage);
  }
}

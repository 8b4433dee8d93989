package coffee.acupof.datamover.it;

import com.google.gson.Gson;
import coffee.acupof.datamover.testkit.MergePatch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the parts of a cluster that cannot run here: the kubelet, the PV controller and the Job
 * controller. The test API server has no nodes or controllers, so these write the status a real
 * cluster would write: a PVC becomes Bound, a pod is made from the Job's template (through the real
 * Pod Security admission of the namespace), runs and terminates with a termination message, and the
 * Job's counters and conditions follow. Only status is simulated; every object is real.
 */
public final class KubeletStandIn {
  private final ApiClient client = TestCluster.admin();
  private final CoreV1Api core = new CoreV1Api(client);
  private final BatchV1Api batch = new BatchV1Api(client);
  private final String namespace;
  private final String jobName;
  private String jobStartTime;
  private int failed;
  private int succeeded;

  /** A stand-in for the pods of one mover Job (its counters follow that Job). */
  public KubeletStandIn(String namespace, String jobName) {
    this.namespace = namespace;
    this.jobName = jobName;
  }

  private static String now() {
    return DateTimeFormatter.ISO_INSTANT.format(OffsetDateTime.now(ZoneOffset.UTC).withNano(0));
  }

  /** The PV controller binds the claim. */
  public void bindPvc(String name) {
    patchStatus("/api/v1/namespaces/" + namespace + "/persistentvolumeclaims/" + name + "/status",
        "{\"status\":{\"phase\":\"Bound\",\"accessModes\":[\"ReadWriteOnce\"],\"capacity\":{\"storage\":\"1Gi\"}}}");
  }

  public V1Job job() {
    try {
      return batch.readNamespacedJob(jobName, namespace).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read Job " + jobName + ": " + e.getResponseBody(), e);
    }
  }

  /**
   * The Job controller creates the next pod from the Job's template and the kubelet starts it.
   * Creation goes through the namespace's Pod Security admission.
   */
  public String startPod() {
    V1Job job = job();
    int index = failed + succeeded;
    Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", jobName);
    labels.put("job-name", jobName);
    String podName = jobName + "-" + index;
    V1Pod pod =
        new V1Pod()
            .metadata(
                new V1ObjectMeta()
                    .name(podName)
                    .namespace(namespace)
                    .labels(labels)
                    .ownerReferences(
                        List.of(
                            new V1OwnerReference()
                                .apiVersion("batch/v1")
                                .kind("Job")
                                .name(jobName)
                                .uid(job.getMetadata().getUid())
                                .controller(true)
                                .blockOwnerDeletion(true))))
            // The Java model turns an absent overhead into {}, which the RuntimeClass admission refuses.
            .spec(job.getSpec().getTemplate().getSpec().overhead(null));
    try {
      core.createNamespacedPod(namespace, pod).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("pod from Job " + jobName + " refused: " + e.getResponseBody(), e);
    }
    patchStatus("/api/v1/namespaces/" + namespace + "/pods/" + podName + "/status",
        "{\"status\":{\"phase\":\"Running\",\"startTime\":\"" + now() + "\",\"containerStatuses\":[" + containerStatus("\"running\":{\"startedAt\":\"" + now() + "\"}", false) + "]}}");
    jobCounters(1, null);
    return podName;
  }

  /** The container ends with an exit code and the termination message the mover wrote. */
  public void finishPod(String podName, int exitCode, String terminationMessage) {
    String terminated =
        "\"terminated\":{\"exitCode\":" + exitCode + ",\"reason\":\"" + (exitCode == 0 ? "Completed" : "Error") + "\",\"message\":"
            + new Gson().toJson(terminationMessage)
            + ",\"startedAt\":\"" + now() + "\",\"finishedAt\":\"" + now() + "\"}";
    patchStatus("/api/v1/namespaces/" + namespace + "/pods/" + podName + "/status",
        "{\"status\":{\"phase\":\"" + (exitCode == 0 ? "Succeeded" : "Failed") + "\",\"containerStatuses\":[" + containerStatus(terminated, false) + "]}}");
    if (exitCode == 0) {
      succeeded++;
    } else {
      failed++;
    }
    jobCounters(0, null);
  }

  /** One whole attempt: a pod starts and ends. */
  public void attempt(int exitCode, String terminationMessage) {
    finishPod(startPod(), exitCode, terminationMessage);
  }

  /** The Job controller marks the Job Complete. */
  public void completeJob() {
    jobCounters(0, "[{\"type\":\"SuccessCriteriaMet\",\"status\":\"True\",\"lastProbeTime\":\"" + now() + "\",\"lastTransitionTime\":\"" + now() + "\"},"
        + "{\"type\":\"Complete\",\"status\":\"True\",\"lastProbeTime\":\"" + now() + "\",\"lastTransitionTime\":\"" + now() + "\"}]");
  }

  /** The Job controller marks the Job Failed, e.g. with reason BackoffLimitExceeded. */
  public void failJob(String reason) {
    jobCounters(0, "[{\"type\":\"FailureTarget\",\"status\":\"True\",\"reason\":\"" + reason + "\",\"message\":\"Job has reached the specified backoff limit\",\"lastProbeTime\":\"" + now() + "\",\"lastTransitionTime\":\"" + now() + "\"},"
        + "{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"" + reason + "\",\"message\":\"Job has reached the specified backoff limit\",\"lastProbeTime\":\"" + now() + "\",\"lastTransitionTime\":\"" + now() + "\"}]");
  }

  private void jobCounters(int active, String conditions) {
    if (jobStartTime == null) {
      jobStartTime = now();
    }
    StringBuilder status = new StringBuilder("{\"status\":{\"startTime\":\"" + jobStartTime + "\",\"active\":" + active + ",\"failed\":" + failed + ",\"succeeded\":" + succeeded);
    if (conditions != null) {
      status.append(",\"conditions\":").append(conditions).append(",\"ready\":0");
      if (conditions.contains("\"Complete\"")) {
        status.append(",\"completionTime\":\"").append(now()).append('"');
      }
    }
    status.append("}}");
    patchStatus("/apis/batch/v1/namespaces/" + namespace + "/jobs/" + jobName + "/status", status.toString());
  }

  private static String containerStatus(String state, boolean ready) {
    return "{\"name\":\"mover\",\"image\":\"mover\",\"imageID\":\"\",\"ready\":" + ready + ",\"restartCount\":0,\"state\":{" + state + "}}";
  }

  private void patchStatus(String path, String mergePatch) {
    try {
      MergePatch.apply(client, path, mergePatch);
    } catch (ApiException e) {
      throw new IllegalStateException("PATCH " + path + " failed: " + e.getResponseBody(), e);
    }
  }

}

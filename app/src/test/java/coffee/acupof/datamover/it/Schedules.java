package coffee.acupof.datamover.it;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleList;
import coffee.acupof.datamover.cluster.ChildNames;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a user does with schedules in tests, and the kubelet's part in finishing their runs. */
public final class Schedules {
  private Schedules() {}

  public static GenericKubernetesApi<DataMoverSchedule, DataMoverScheduleList> api() {
    return DataMoverApi.SCHEDULES.api(TestCluster.admin());
  }

  public static DataMoverSchedule get(String namespace, String name) {
    try {
      return api().get(namespace, name).throwsApiException().getObject();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot read DataMoverSchedule " + namespace + "/" + name + ": " + e.getResponseBody(), e);
    }
  }

  /** Applies a schedule with kubectl: {@code extraSpec} is more YAML under {@code spec:}. */
  public static void apply(String namespace, String name, String schedule, String sourcePvc, String secretName, String extraSpec) {
    Given.kubectlApply(namespace, """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMoverSchedule
        metadata:
          name: %s
        spec:
          schedule: "%s"
          sourcePvc: %s
          secretName: %s
        %s
        """.formatted(name, schedule, sourcePvc, secretName, extraSpec.strip().indent(2)));
  }

  /** Merge-patches the schedule's spec as {@code kubectl patch --type merge} would. */
  public static void patchSpec(String namespace, String name, String specJson) {
    TestCluster.server().runKubectl("patch", "datamoverschedule", name, "-n", namespace, "--type", "merge", "-p", "{\"spec\":" + specJson + "}");
  }

  /** The schedule's runs (DataMovers labelled with it), by name. */
  public static List<DataMover> runs(String namespace, String schedule) {
    try {
      return TestCluster.dataMovers()
          .list(namespace, new io.kubernetes.client.util.generic.options.ListOptions().labelSelector("datamover.a-cup-of.coffee/datamoverschedule=" + schedule))
          .throwsApiException()
          .getObject()
          .getItems()
          .stream()
          .filter(d -> d.getMetadata().getDeletionTimestamp() == null)
          .sorted(java.util.Comparator.comparing(DataMover::name))
          .toList();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }

  public static List<String> runNames(String namespace, String schedule) {
    return runs(namespace, schedule).stream().map(DataMover::name).toList();
  }

  /** Whether the run's mover Job exists (the run reached CreatingPod). */
  public static boolean jobExists(String namespace, String run) {
    try {
      TestCluster.batch().readNamespacedJob(ChildNames.moverJob(run), namespace).execute();
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  /**
   * The kubelet ends the run's mover pod with the mover's result for the run's own point in time, or
   * with a refusal (exit code 4, which fails the Job at once); the real Job controller does the rest.
   */
  public static void finishRun(String namespace, String run, boolean success) {
    KubeletStandIn kubelet = new KubeletStandIn(namespace, ChildNames.moverJob(run));
    if (success) {
      String point = Objects.requireNonNullElse(TestCluster.get(namespace, run).getStatus().pointInTime(), "");
      kubelet.nextPodExits(0, "{\"operation\":\"backup\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:backups/" + point
          + "\",\"pointInTime\":" + (point.isEmpty() ? "null" : "\"" + point + "\"") + ",\"files\":3,\"bytes\":300,\"errors\":0,\"deleted\":0,\"message\":\"backup complete\"}");
    } else {
      kubelet.nextPodExits(4, "{\"operation\":\"backup\",\"status\":\"failed\",\"exitCode\":4,\"message\":\"refused: MOVER_DATA_DIR '/data' contains no files\"}");
    }
  }

  public static Map<String, Object> longDeadlines() {
    // Tests move the operator's clock by hours; runs must not time out because of that.
    return Map.of(
        "datamover.deadlines.validation", "3650d",
        "datamover.deadlines.clone-bind", "3650d",
        "datamover.deadlines.mover-grace", "3650d");
  }
}

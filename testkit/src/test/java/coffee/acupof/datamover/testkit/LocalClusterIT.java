package coffee.acupof.datamover.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.testkit.node.Kubelet;
import coffee.acupof.datamover.testkit.node.ScriptedRuntime;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster around a test API server: the real Job controller, PV binder and scheduler, with the
 * kubelet and the CSI driver played by the test kit.
 */
class LocalClusterIT extends WithOwnCluster {
  private static final ScriptedRuntime scripted = new ScriptedRuntime();
  private static BatchV1Api batch;

  @BeforeAll
  static void start() {
    cluster.kubelet().use("", scripted);
    batch = new BatchV1Api(server.adminClient());
    LocalProvisioner.ensureStorageClass(server.adminClient(), "immediate", "Immediate");
    LocalProvisioner.ensureStorageClass(server.adminClient(), "late", "WaitForFirstConsumer");
  }

  @Test
  void theRealJobControllerRetriesAFailedPodAfterItsBackOffAndCompletes() throws Exception {
    String ns = namespace("retry");
    batch.createNamespacedJob(ns, job("flaky", 1, null)).execute();
    scripted.nextPodExits(ns, "flaky", 3, "first attempt failed");
    scripted.nextPodExits(ns, "flaky", 0, "second attempt worked");

    V1Job done = awaitFinished(ns, "flaky");

    assertThat(condition(done)).isEqualTo("Complete");
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    List<V1Pod> pods = pods(ns, "flaky");
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsOnly(Kubelet.DEFAULT_NODE);
    assertThat(pods).extracting(p -> p.getStatus().getPhase()).containsExactly("Failed", "Succeeded");
    assertThat(pods.getFirst().getStatus().getContainerStatuses().getFirst().getState().getTerminated())
        .satisfies(t -> {
          assertThat(t.getExitCode()).isEqualTo(3);
          assertThat(t.getMessage()).isEqualTo("first attempt failed");
        });
  }

  @Test
  void aPodFailurePolicyRuleFailsTheJobAtOnce() throws Exception {
    String ns = namespace("policy");
    V1PodFailurePolicy policy = new V1PodFailurePolicy().rules(List.of(new V1PodFailurePolicyRule()
        .action("FailJob")
        .onExitCodes(new V1PodFailurePolicyOnExitCodesRequirement().containerName("main").operator("In").values(List.of(2)))));
    batch.createNamespacedJob(ns, job("misconfigured", 5, policy)).execute();
    scripted.nextPodExits(ns, "misconfigured", 2, "bad configuration");

    V1Job done = awaitFinished(ns, "misconfigured");

    assertThat(condition(done)).isEqualTo("Failed");
    assertThat(done.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("PodFailurePolicy"));
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
  }

  @Test
  void volumesAreProvisionedClonedBoundAndDeletedAsDirectories() throws Exception {
    String ns = namespace("volumes");
    Path seeded = cluster.provisioner().volume(ns, "source");
    Files.createDirectories(seeded);
    Files.writeString(seeded.resolve("file.txt"), "data");
    core.createNamespacedPersistentVolumeClaim(ns, claim("source", "immediate", null)).execute();
    V1PersistentVolume volume = awaitBound(ns, "source");
    assertThat(LocalProvisioner.directoryOf(volume)).contains(seeded);
    assertThat(volume.getSpec().getClaimRef().getName()).isEqualTo("source");

    core.createNamespacedPersistentVolumeClaim(ns, claim("clone", "immediate", "source")).execute();
    V1PersistentVolume cloneVolume = awaitBound(ns, "clone");
    Path clone = LocalProvisioner.directoryOf(cloneVolume).orElseThrow();
    assertThat(clone).isEqualTo(cluster.provisioner().volume(ns, "clone"));
    assertThat(Files.readString(clone.resolve("file.txt"))).isEqualTo("data");

    core.deleteNamespacedPersistentVolumeClaim("clone", ns).execute();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(Files.exists(clone)).as("the released volume's directory is deleted").isFalse();
      assertThat(volumeNames()).doesNotContain(cloneVolume.getMetadata().getName()).contains(volume.getMetadata().getName());
    });
    assertThat(Files.readString(seeded.resolve("file.txt"))).isEqualTo("data");
  }

  @Test
  void aWaitForFirstConsumerClaimBindsOnTheNodeTheSchedulerChoseForItsPod() throws Exception {
    String ns = namespace("late");
    core.createNamespacedPersistentVolumeClaim(ns, claim("scratch", "late", null)).execute();
    V1Job consumer = job("consumer", 0, null);
    consumer.getSpec().getTemplate().getSpec().volumes(List.of(new V1Volume().name("scratch")
        .persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName("scratch"))));
    batch.createNamespacedJob(ns, consumer).execute();

    V1PersistentVolume volume = awaitBound(ns, "scratch");

    V1PersistentVolumeClaim claim = core.readNamespacedPersistentVolumeClaim("scratch", ns).execute();
    assertThat(claim.getMetadata().getAnnotations()).containsEntry("volume.kubernetes.io/selected-node", Kubelet.DEFAULT_NODE);
    assertThat(volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst().getMatchExpressions().getFirst().getValues())
        .containsExactly(Kubelet.DEFAULT_NODE);
    scripted.nextPodExits(ns, "consumer", 0, "");
    assertThat(condition(awaitFinished(ns, "consumer"))).isEqualTo("Complete");
  }

  @Test
  void theLocalExecutorRunsTheContainerAndAPodDeletedAtTheDeadlineIsStopped() throws Exception {
    String ns = namespace("local");
    try (LocalExecutor executor = shell(ns, "executor")) {
      core.createNamespacedPersistentVolumeClaim(ns, claim("out", "immediate", null)).execute();
      V1Job writer = job("writer", 0, null);
      V1Container container = writer.getSpec().getTemplate().getSpec().getContainers().getFirst()
          .args(List.of("echo written > \"$OUT/result.txt\" && printf 'all done' > \"$MOVER_RESULT_FILE\""))
          .env(List.of(new V1EnvVar().name("OUT").value("/out")))
          .volumeMounts(List.of(new V1VolumeMount().name("out").mountPath("/out")));
      writer.getSpec().getTemplate().getSpec().containers(List.of(container))
          .volumes(List.of(new V1Volume().name("out").persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName("out"))));
      batch.createNamespacedJob(ns, writer).execute();

      assertThat(condition(awaitFinished(ns, "writer"))).isEqualTo("Complete");
      assertThat(pods(ns, "writer").getFirst().getStatus().getContainerStatuses().getFirst().getState().getTerminated().getMessage())
          .isEqualTo("all done");
      assertThat(Files.readString(cluster.provisioner().volume(ns, "out").resolve("result.txt"))).isEqualTo("written\n");

      V1Job sleeper = job("sleeper", 0, null);
      sleeper.getSpec().activeDeadlineSeconds(3L).getTemplate().getSpec().getContainers().getFirst().args(List.of("sleep 300"));
      batch.createNamespacedJob(ns, sleeper).execute();
      V1Job timedOut = awaitFinished(ns, "sleeper");
      assertThat(timedOut.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("DeadlineExceeded"));
      await().atMost(TIMEOUT).until(() -> pods(ns, "sleeper").isEmpty());
    }
  }

  @Test
  void secretAndConfigMapVolumesHoldTheirKeysAsFilesWithTheKubeletsModesOnceTheyExist() throws Exception {
    String ns = namespace("keys");
    try (LocalExecutor executor = shell(ns, "keys-executor")) {
      V1Job reader = job("reader", 0, null);
      V1PodSpec pod = reader.getSpec().getTemplate().getSpec()
          .securityContext(new V1PodSecurityContext().fsGroup(2000L))
          .volumes(List.of(
              new V1Volume().name("conf").secret(new V1SecretVolumeSource().secretName("rclone")
                  .items(List.of(new V1KeyToPath().key("config").path("rclone.conf"))).defaultMode(0400)),
              new V1Volume().name("ca").configMap(new V1ConfigMapVolumeSource().name("ca"))));
      pod.getContainers().getFirst()
          .env(List.of(new V1EnvVar().name("CONF").value("/etc/conf"), new V1EnvVar().name("CA").value("/etc/ca")))
          .volumeMounts(List.of(
              new V1VolumeMount().name("conf").mountPath("/etc/conf").readOnly(true),
              new V1VolumeMount().name("ca").mountPath("/etc/ca").readOnly(true)))
          .args(List.of("{ ls \"$CONF\"; stat -c %a \"$CONF/rclone.conf\"; cat \"$CONF/rclone.conf\"; "
              + "ls \"$CA\"; stat -c %a \"$CA/ca.crt\"; cat \"$CA/ca.crt\" \"$CA/der\"; } > \"$MOVER_RESULT_FILE\""));
      batch.createNamespacedJob(ns, reader).execute();

      // The Secret and ConfigMap do not exist yet: the pod waits, as with a kubelet's FailedMount.
      await().atMost(TIMEOUT).until(() -> pods(ns, "reader").stream()
          .flatMap(p -> Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of()).stream())
          .map(c -> c.getState().getWaiting())
          .anyMatch(w -> w != null && "ContainerCreating".equals(w.getReason())));
      core.createNamespacedSecret(ns, new V1Secret().metadata(new V1ObjectMeta().name("rclone"))
          .stringData(Map.of("config", "[remote]\ntype = local\n", "other", "not projected"))).execute();
      core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta().name("ca"))
          .data(Map.of("ca.crt", "PEM\n")).binaryData(Map.of("der", new byte[] {'D', 'E', 'R', '\n'}))).execute();

      assertThat(condition(awaitFinished(ns, "reader"))).isEqualTo("Complete");
      assertThat(pods(ns, "reader").getFirst().getStatus().getContainerStatuses().getFirst().getState().getTerminated().getMessage())
          .as("only the listed key, 0400 plus the fsGroup's read; every key of the ConfigMap, 0644")
          .isEqualTo("rclone.conf\n440\n[remote]\ntype = local\nca.crt\nder\n644\nPEM\nDER\n");
    }
  }

  /** A {@link LocalExecutor} for the pods of {@code ns} that runs each container's args with {@code sh -c}. */
  private static LocalExecutor shell(String ns, String directory) {
    return LocalExecutor.builder(server.adminClient(), files.resolve(directory))
        .kubelet(cluster.kubelet())
        .namespace(ns)
        .command(List.of("sh", "-c"))
        .start();
  }

  private static V1Job job(String name, int backoffLimit, V1PodFailurePolicy policy) {
    return new V1Job()
        .metadata(new V1ObjectMeta().name(name))
        .spec(new V1JobSpec().backoffLimit(backoffLimit).podFailurePolicy(policy)
            .template(new V1PodTemplateSpec().spec(podSpec())));
  }

  private static V1PodSpec podSpec() {
    return new V1PodSpec().restartPolicy("Never").containers(List.of(new V1Container().name("main").image("busybox")));
  }

  private static V1PersistentVolumeClaim claim(String name, String storageClass, String cloneOf) {
    V1PersistentVolumeClaimSpec spec = new V1PersistentVolumeClaimSpec()
        .storageClassName(storageClass)
        .accessModes(List.of("ReadWriteOnce"))
        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("1Gi"))));
    if (cloneOf != null) {
      spec.dataSource(new V1TypedLocalObjectReference().kind("PersistentVolumeClaim").name(cloneOf));
    }
    return new V1PersistentVolumeClaim().metadata(new V1ObjectMeta().name(name)).spec(spec);
  }

  private static List<String> volumeNames() throws ApiException {
    return core.listPersistentVolume().execute().getItems().stream().map(v -> v.getMetadata().getName()).toList();
  }

  private static V1Job awaitFinished(String ns, String name) {
    await().atMost(TIMEOUT).until(() -> !condition(batch.readNamespacedJob(name, ns).execute()).isEmpty());
    try {
      return batch.readNamespacedJob(name, ns).execute();
    } catch (ApiException e) {
      throw new IllegalStateException(e.getResponseBody(), e);
    }
  }

  /** "Complete" or "Failed" once the Job controller says so, else "". */
  private static String condition(V1Job job) {
    return Optional.ofNullable(job.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
        .filter(c -> "True".equals(c.getStatus()))
        .map(V1JobCondition::getType)
        .filter(t -> t.equals("Complete") || t.equals("Failed"))
        .findFirst()
        .orElse("");
  }

  private static List<V1Pod> pods(String ns, String job) throws ApiException {
    return core.listNamespacedPod(ns).labelSelector("batch.kubernetes.io/job-name=" + job).execute().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
        .toList();
  }
}

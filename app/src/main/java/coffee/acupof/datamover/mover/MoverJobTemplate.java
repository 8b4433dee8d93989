package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.ResourceKind;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecretEnvSource;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every mover Job has in common, whatever operation it runs (a DataMover's backup, a schedule's
 * prune, later a restore): the owner's labels and controller reference, attempts as the back-off
 * limit, a deadline, the pod-failure policy that fails at once on configuration and safety exit codes,
 * a pod that passes the "restricted" Pod Security Standard with the Secret as {@code envFrom}, an
 * emptyDir at {@code /tmp} and optionally a volume at {@code /data}. The operation's builder supplies
 * the rest as {@link Parameters}. A pure function.
 */
public final class MoverJobTemplate {
  private static final String DATA_VOLUME = "data";
  private static final String TMP_VOLUME = "tmp";

  private MoverJobTemplate() {}

  /**
   * @param ownerKind the kind of the object that owns the Job
   * @param extraLabels labels beyond the ownership labels, on the Job and its pods
   * @param image the owner's image, or null for the operator's default
   * @param env the container's environment, in order
   * @param dataClaim the PVC to mount at {@code /data}, if the operation reads or writes a volume
   * @param activeDeadline how long the Job may run, all attempts together
   */
  public record Parameters(
      ResourceKind<?, ?> ownerKind,
      KubernetesObject owner,
      String jobName,
      String component,
      Map<String, String> extraLabels,
      String secretName,
      ImageSpec image,
      List<V1EnvVar> env,
      Optional<String> dataClaim,
      Duration activeDeadline) {}

  public static V1Job build(Parameters p, DataMoverProperties.Mover defaults) {
    Map<String, String> labels = new LinkedHashMap<>(Ownership.labels(p.ownerKind(), p.owner(), p.component()));
    labels.putAll(p.extraLabels());
    V1ObjectMeta metadata = Ownership.childMetadata(p.ownerKind(), p.owner(), p.jobName(), p.component()).labels(labels);
    V1JobSpec jobSpec =
        new V1JobSpec()
            .backoffLimit(Math.max(0, defaults.attempts() - 1))
            .activeDeadlineSeconds(p.activeDeadline().toSeconds())
            .podFailurePolicy(permanentFailures())
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(podSpec(p, defaults)));
    return new V1Job().apiVersion("batch/v1").kind("Job").metadata(metadata).spec(jobSpec);
  }

  /** Configuration errors and safety refusals fail the Job at once: another attempt cannot help. */
  private static V1PodFailurePolicy permanentFailures() {
    return new V1PodFailurePolicy()
        .rules(
            List.of(
                new V1PodFailurePolicyRule()
                    .action("FailJob")
                    .onExitCodes(
                        new V1PodFailurePolicyOnExitCodesRequirement()
                            .containerName(MoverContract.CONTAINER_NAME)
                            .operator("In")
                            .values(List.of(MoverContract.EXIT_CONFIGURATION, MoverContract.EXIT_SAFETY)))));
  }

  private static V1PodSpec podSpec(Parameters p, DataMoverProperties.Mover defaults) {
    long uid = defaults.runAsUser();
    List<V1Volume> volumes = new ArrayList<>();
    p.dataClaim().ifPresent(claim ->
        volumes.add(new V1Volume().name(DATA_VOLUME).persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName(claim))));
    volumes.add(new V1Volume().name(TMP_VOLUME).emptyDir(new V1EmptyDirVolumeSource()));
    V1PodSpec pod =
        new V1PodSpec()
            .restartPolicy("Never")
            .automountServiceAccountToken(false)
            .securityContext(
                new V1PodSecurityContext()
                    .runAsNonRoot(true)
                    .runAsUser(uid)
                    .runAsGroup(uid)
                    // A clone is a throw-away copy: kubelet makes it group-readable for the
                    // non-root mover, whatever uid owned the files.
                    .fsGroup(uid)
                    .fsGroupChangePolicy("OnRootMismatch")
                    .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
            .containers(List.of(container(p, defaults)))
            .volumes(volumes);
    if (!defaults.serviceAccountName().isBlank()) {
      pod.serviceAccountName(defaults.serviceAccountName());
    }
    return pod;
  }

  private static V1Container container(Parameters p, DataMoverProperties.Mover defaults) {
    ImageSpec image = p.image();
    String reference = image != null && image.repository() != null ? image.reference() : defaults.image();
    String pullPolicy = image != null && image.pullPolicy() != null ? image.pullPolicy() : defaults.pullPolicy();
    List<V1VolumeMount> mounts = new ArrayList<>();
    p.dataClaim().ifPresent(claim -> mounts.add(new V1VolumeMount().name(DATA_VOLUME).mountPath(MoverContract.DATA_DIR)));
    mounts.add(new V1VolumeMount().name(TMP_VOLUME).mountPath(MoverContract.TMP_DIR));
    return new V1Container()
        .name(MoverContract.CONTAINER_NAME)
        .image(reference)
        .imagePullPolicy(pullPolicy)
        .env(p.env())
        .envFrom(List.of(new V1EnvFromSource().secretRef(new V1SecretEnvSource().name(p.secretName()))))
        .volumeMounts(mounts)
        .resources(new V1ResourceRequirements().requests(quantities(defaults.requests())).limits(quantities(defaults.limits())))
        .terminationMessagePolicy("FallbackToLogsOnError")
        .securityContext(
            new V1SecurityContext()
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .runAsNonRoot(true)
                .capabilities(new V1Capabilities().drop(List.of("ALL"))));
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, Quantity.fromString(v)));
    return result;
  }
}

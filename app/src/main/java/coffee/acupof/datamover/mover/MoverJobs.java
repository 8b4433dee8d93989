package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a mover Job of any kind (backup, restore, prune, …) from a {@link MoverJobRequest}: the mover
 * image with the request's claim at {@code /data} and an emptyDir at {@code /tmp}, the remote's access
 * ({@link MoverRemote}: a Secret as {@code envFrom}, or read-only rclone.conf and CA files with the
 * variables that name them), the request's environment (the contract's variables, then the user's
 * additions, which may override them), the operator's attempts, deadline and resources, and a
 * pod-failure policy that fails at once on the mover's configuration and safety exit codes. The pod passes the
 * "restricted" Pod Security Standard. A pure function.
 */
public final class MoverJobs {
  private static final String DATA_VOLUME = "data";
  private static final String TMP_VOLUME = "tmp";

  private MoverJobs() {}

  public static V1Job build(MoverJobRequest request, DataMoverProperties.Mover defaults) {
    Map<String, String> labels = new LinkedHashMap<>(Ownership.labels(request.ownerKind(), request.owner(), request.component()));
    labels.put(DataMoverApi.LABEL_APP, DataMoverApi.LABEL_APP_VALUE);
    V1ObjectMeta metadata =
        Ownership.childMetadata(request.ownerKind(), request.owner(), request.jobName(), request.component()).labels(labels);
    V1JobSpec jobSpec =
        new V1JobSpec()
            .backoffLimit(Math.max(0, defaults.attempts() - 1))
            .activeDeadlineSeconds(request.activeDeadline().orElse(defaults.activeDeadline()).toSeconds())
            .podFailurePolicy(permanentFailures())
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(podSpec(request, defaults)));
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

  private static V1PodSpec podSpec(MoverJobRequest request, DataMoverProperties.Mover defaults) {
    long uid = defaults.runAsUser();
    V1PodSpec pod =
        new V1PodSpec()
            .restartPolicy("Never")
            .automountServiceAccountToken(false)
            .securityContext(
                new V1PodSecurityContext()
                    .runAsNonRoot(true)
                    .runAsUser(uid)
                    .runAsGroup(uid)
                    // The kubelet makes the volume group-accessible for the non-root mover, whatever
                    // uid owned the files (a clone is a throw-away copy; a restore target is new), and
                    // gives the root-owned 0400 rclone.conf and CA files this group with read access.
                    .fsGroup(uid)
                    .fsGroupChangePolicy("OnRootMismatch")
                    .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
            .containers(List.of(container(request, defaults)))
            .volumes(volumes(request));
    request.nodeName().ifPresent(pod::nodeName);
    if (!defaults.serviceAccountName().isBlank()) {
      pod.serviceAccountName(defaults.serviceAccountName());
    }
    return pod;
  }

  private static V1Container container(MoverJobRequest request, DataMoverProperties.Mover defaults) {
    ImageSpec image = request.image();
    String reference = image != null && image.repository() != null ? image.reference() : defaults.image();
    String pullPolicy = image != null && image.pullPolicy() != null ? image.pullPolicy() : defaults.pullPolicy();
    return new V1Container()
        .name(MoverContract.CONTAINER_NAME)
        .image(reference)
        .imagePullPolicy(pullPolicy)
        .env(Stream.concat(request.remote().env().stream(), request.env().stream()).toList())
        .envFrom(request.remote().envSecret().map(secret -> List.of(new V1EnvFromSource().secretRef(new V1SecretEnvSource().name(secret)))).orElse(null))
        .volumeMounts(mounts(request))
        .resources(
            new V1ResourceRequirements()
                .requests(quantities(defaults.requests()))
                .limits(quantities(defaults.limits())))
        .terminationMessagePolicy("FallbackToLogsOnError")
        .securityContext(
            new V1SecurityContext()
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .runAsNonRoot(true)
                .capabilities(new V1Capabilities().drop(List.of("ALL"))));
  }

  /**
   * The claim at {@code /data} (when the operation has one), a writable emptyDir at {@code /tmp} and the
   * remote's read-only files.
   */
  private static List<V1Volume> volumes(MoverJobRequest request) {
    List<V1Volume> volumes = new ArrayList<>();
    request.claimName().ifPresent(claim ->
        volumes.add(new V1Volume().name(DATA_VOLUME).persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName(claim))));
    volumes.add(new V1Volume().name(TMP_VOLUME).emptyDir(new V1EmptyDirVolumeSource()));
    volumes.addAll(request.remote().volumes());
    return volumes;
  }

  private static List<V1VolumeMount> mounts(MoverJobRequest request) {
    List<V1VolumeMount> mounts = new ArrayList<>();
    request.claimName().ifPresent(claim -> mounts.add(new V1VolumeMount().name(DATA_VOLUME).mountPath(MoverContract.DATA_DIR)));
    mounts.add(new V1VolumeMount().name(TMP_VOLUME).mountPath(MoverContract.TMP_DIR));
    mounts.addAll(request.remote().mounts());
    return mounts;
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, Quantity.fromString(v)));
    return result;
  }
}

package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the mover Job of a DataMover: the mover image with the clone at {@code /data}, the Secret as
 * {@code envFrom}, the contract's variables, then the user's {@code additionalEnv} (which may
 * override them). The pod passes the "restricted" Pod Security Standard. A pure function.
 */
public final class MoverJobBuilder {
  public static final String COMPONENT = "mover";
  private static final String DATA_VOLUME = "data";
  private static final String TMP_VOLUME = "tmp";

  private MoverJobBuilder() {}

  public static V1Job build(DataMover owner, DataMoverProperties.Mover defaults) {
    DataMoverSpec spec = owner.getSpec();
    String jobName = ChildNames.moverJob(owner.name());
    Map<String, String> labels = new LinkedHashMap<>(Ownership.labels(DataMoverApi.DATAMOVERS, owner, COMPONENT));
    labels.put(DataMoverApi.LABEL_APP, DataMoverApi.LABEL_APP_VALUE);

    V1ObjectMeta metadata = Ownership.childMetadata(DataMoverApi.DATAMOVERS, owner, jobName, COMPONENT).labels(labels);
    V1JobSpec jobSpec =
        new V1JobSpec()
            .backoffLimit(Math.max(0, defaults.attempts() - 1))
            .activeDeadlineSeconds(defaults.activeDeadline().toSeconds())
            .podFailurePolicy(permanentFailures())
            .template(
                new V1PodTemplateSpec()
                    .metadata(new V1ObjectMeta().labels(labels))
                    .spec(podSpec(owner, defaults)));
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

  private static V1PodSpec podSpec(DataMover owner, DataMoverProperties.Mover defaults) {
    DataMoverSpec spec = owner.getSpec();
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
                    // The clone is a throw-away copy: kubelet makes it group-readable for the
                    // non-root mover, whatever uid owned the files.
                    .fsGroup(uid)
                    .fsGroupChangePolicy("OnRootMismatch")
                    .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
            .containers(List.of(container(owner, spec, defaults)))
            .volumes(
                List.of(
                    new V1Volume()
                        .name(DATA_VOLUME)
                        .persistentVolumeClaim(
                            new V1PersistentVolumeClaimVolumeSource()
                                .claimName(ChildNames.clonePvc(owner.name()))),
                    new V1Volume().name(TMP_VOLUME).emptyDir(new V1EmptyDirVolumeSource())));
    if (!defaults.serviceAccountName().isBlank()) {
      pod.serviceAccountName(defaults.serviceAccountName());
    }
    return pod;
  }

  private static V1Container container(DataMover owner, DataMoverSpec spec, DataMoverProperties.Mover defaults) {
    ImageSpec image = spec.image();
    String reference = image != null && image.repository() != null ? image.reference() : defaults.image();
    String pullPolicy = image != null && image.pullPolicy() != null ? image.pullPolicy() : defaults.pullPolicy();
    return new V1Container()
        .name(MoverContract.CONTAINER_NAME)
        .image(reference)
        .imagePullPolicy(pullPolicy)
        .env(env(owner, spec))
        .envFrom(List.of(new V1EnvFromSource().secretRef(new V1SecretEnvSource().name(spec.secretName()))))
        .volumeMounts(
            List.of(
                new V1VolumeMount().name(DATA_VOLUME).mountPath(MoverContract.DATA_DIR),
                new V1VolumeMount().name(TMP_VOLUME).mountPath(MoverContract.TMP_DIR)))
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

  static List<V1EnvVar> env(DataMover owner, DataMoverSpec spec) {
    List<V1EnvVar> env = new ArrayList<>();
    env.add(new V1EnvVar().name(MoverContract.ENV_OPERATION).value(MoverContract.OPERATION_BACKUP));
    env.add(new V1EnvVar().name(MoverContract.ENV_DATA_DIR).value(MoverContract.DATA_DIR));
    env.add(new V1EnvVar().name(MoverContract.ENV_ADD_TIMESTAMP_PREFIX).value(Boolean.toString(spec.timestampPrefix())));
    env.add(new V1EnvVar().name(MoverContract.ENV_TIMESTAMP).value(pointInTime(owner)));
    env.add(new V1EnvVar().name(MoverContract.ENV_SOURCE).value(owner.namespace() + "/" + spec.sourcePvc()));
    env.add(new V1EnvVar().name(MoverContract.ENV_RUN_ID).value(owner.getMetadata().getUid()));
    if (spec.path() != null && !spec.path().isBlank()) {
      env.add(new V1EnvVar().name(MoverContract.ENV_PATH).value(spec.path()));
    }
    env.addAll(spec.additionalEnvOrEmpty());
    return env;
  }

  /**
   * The point in time the run writes: the one allocated at validation and recorded in its status
   * (so every attempt and every operator restart writes the same folder), or, for a run validated
   * before points were recorded, its creation second.
   */
  static String pointInTime(DataMover owner) {
    String recorded = owner.getStatus().pointInTime();
    return recorded != null ? recorded : MoverContract.pointInTime(owner.getMetadata().getCreationTimestamp());
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, Quantity.fromString(v)));
    return result;
  }
}

package coffee.acupof.datamover.mover;

import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.config.DataMoverProperties;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1Volume;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MoverJobBuilderTest {
  private final DataMoverProperties.Mover defaults = new DataMoverProperties(null, null, null, null, null, null, null, null).mover();

  private static Map<String, String> env(V1Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue, (a, b) -> b));
  }

  @Test
  void theJobFollowsTheMoverContract() {
    DataMover dm = dataMover("backup-web-data", new DataMoverSpec("web-data", "s3-credentials", true, null, null, null, null, null, null));

    V1Job job = MoverJobBuilder.build(dm, defaults);

    assertThat(job.getMetadata().getName()).isEqualTo("backup-web-data-mover");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("apps");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> {
          assertThat(ref.getKind()).isEqualTo("DataMover");
          assertThat(ref.getUid()).isEqualTo("uid-backup-web-data");
          assertThat(ref.getController()).isTrue();
        });
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "datamover-operator")
        .containsEntry("app.kubernetes.io/created-by", "datamover-operator")
        .containsEntry("datamover.a-cup-of.coffee/datamover", "backup-web-data")
        .containsEntry("app", "datamover-rclone");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(6 * 3600L);
    assertThat(job.getSpec().getPodFailurePolicy().getRules())
        .singleElement()
        .satisfies(rule -> {
          assertThat(rule.getAction()).isEqualTo("FailJob");
          assertThat(rule.getOnExitCodes().getValues()).containsExactly(2, 4);
        });
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());

    V1PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getVolumes()).extracting(v -> v.getPersistentVolumeClaim() == null ? v.getName() : v.getPersistentVolumeClaim().getClaimName())
        .containsExactly("backup-web-data-clone", "tmp");
    V1Container c = pod.getContainers().getFirst();
    assertThat(c.getImage()).isEqualTo("datamover/rclone-mover:0.1.0");
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/data", "/tmp");
    assertThat(c.getEnvFrom()).singleElement().satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("s3-credentials"));
    assertThat(env(c))
        .containsEntry("MOVER_OPERATION", "backup")
        .containsEntry("MOVER_DATA_DIR", "/data")
        .containsEntry("ADD_TIMESTAMP_PREFIX", "true")
        .containsEntry("MOVER_TIMESTAMP", "2026-01-02-030405")
        .containsEntry("MOVER_SOURCE", "apps/web-data")
        .containsEntry("MOVER_RUN_ID", "uid-backup-web-data")
        .doesNotContainKey("MOVER_PATH");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
  }

  /** The "restricted" Pod Security Standard, field by field. */
  @Test
  void thePodPassesTheRestrictedPodSecurityStandard() {
    V1PodSpec pod = MoverJobBuilder.build(dataMover("b"), defaults).getSpec().getTemplate().getSpec();
    V1Container c = pod.getContainers().getFirst();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getPrivileged()).isNull();
  }

  @Test
  void specImageAndAdditionalEnvOverrideTheDefaults() {
    List<V1EnvVar> extra =
        List.of(
            new V1EnvVar().name("RCLONE_TRANSFERS").value("8"),
            new V1EnvVar().name("REGION_FROM_SECRET").valueFrom(new V1EnvVarSource().secretKeyRef(new V1SecretKeySelector().name("other").key("region"))));
    DataMover dm =
        dataMover("b", new DataMoverSpec("web-data", "s3", null, null, extra, new ImageSpec("registry.local/mover", "1.2.3", "Always"), null, null, null));

    V1Container c = MoverJobBuilder.build(dm, defaults).getSpec().getTemplate().getSpec().getContainers().getFirst();

    assertThat(c.getImage()).isEqualTo("registry.local/mover:1.2.3");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getEnv().subList(c.getEnv().size() - 2, c.getEnv().size())).isEqualTo(extra);
    assertThat(env(c)).containsEntry("ADD_TIMESTAMP_PREFIX", "false");
  }

  @Test
  void theRecordedPointAndThePathReachTheMover() {
    DataMover dm = dataMover("b", new DataMoverSpec("web-data", "s3", true, null, null, null, "shop/web-data", null, null))
        .status(new DataMoverStatus.Builder().pointInTime("2026-01-02-030407").build());

    V1Container c = MoverJobBuilder.build(dm, defaults).getSpec().getTemplate().getSpec().getContainers().getFirst();

    assertThat(env(c)).containsEntry("MOVER_TIMESTAMP", "2026-01-02-030407").containsEntry("MOVER_PATH", "shop/web-data");
  }

  @Test
  void anRcloneConfigIsMountedAsAFileAndNeverBecomesEnvironment() {
    DataMover dm = dataMover("b", new DataMoverSpec("web-data", null, true, null, List.of(new V1EnvVar().name("RCLONE_TRANSFERS").value("8")), null,
        "volsync-bucket/web-data", new RcloneConfigSpec("rclone-secret", "config", "aws-s3-bucket"), new CustomCaSpec(null, "tls-ca", null)));

    V1PodSpec pod = MoverJobBuilder.build(dm, defaults).getSpec().getTemplate().getSpec();
    V1Container c = pod.getContainers().getFirst();

    assertThat(c.getEnvFrom()).as("no Secret becomes environment").isNull();
    assertThat(env(c))
        .containsEntry("MOVER_CONFIG_FILE", "/etc/datamover/rclone/rclone.conf")
        .containsEntry("MOVER_CONFIG_SECTION", "aws-s3-bucket")
        .containsEntry("MOVER_CA_BUNDLE", "/etc/datamover/ca/ca.crt")
        .containsEntry("MOVER_PATH", "volsync-bucket/web-data");
    assertThat(c.getEnv().getLast().getName()).as("the user's additions still come last").isEqualTo("RCLONE_TRANSFERS");
    assertThat(c.getEnv()).allSatisfy(e -> assertThat(e.getValueFrom()).isNull());

    V1Volume config = volume(pod, "rclone-config");
    assertThat(config.getSecret().getSecretName()).isEqualTo("rclone-secret");
    assertThat(config.getSecret().getItems()).as("only the named key, under the contract's file name")
        .containsExactly(new V1KeyToPath().key("config").path("rclone.conf"));
    assertThat(config.getSecret().getDefaultMode()).isEqualTo(0400);
    V1Volume ca = volume(pod, "custom-ca");
    assertThat(ca.getSecret()).isNull();
    assertThat(ca.getConfigMap().getName()).isEqualTo("tls-ca");
    assertThat(ca.getConfigMap().getItems()).containsExactly(new V1KeyToPath().key("ca.crt").path("ca.crt"));
    assertThat(ca.getConfigMap().getDefaultMode()).isEqualTo(0400);
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().startsWith("/etc/datamover/"))
        .extracting(m -> m.getName() + "@" + m.getMountPath() + ":" + m.getReadOnly())
        .containsExactly("rclone-config@/etc/datamover/rclone:true", "custom-ca@/etc/datamover/ca:true");
    assertThat(pod.getSecurityContext().getFsGroup()).as("the group that may read the 0400 files the kubelet writes as root").isEqualTo(65532L);
  }

  @Test
  void aCustomCaWorksWithTheS3KeysToo() {
    DataMover dm = dataMover("b", new DataMoverSpec("web-data", "s3-credentials", null, null, null, null, null, null,
        new CustomCaSpec("tls-secret", null, "root.pem")));

    V1PodSpec pod = MoverJobBuilder.build(dm, defaults).getSpec().getTemplate().getSpec();
    V1Container c = pod.getContainers().getFirst();

    assertThat(c.getEnvFrom()).singleElement().satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("s3-credentials"));
    assertThat(env(c)).containsEntry("MOVER_CA_BUNDLE", "/etc/datamover/ca/ca.crt").doesNotContainKeys("MOVER_CONFIG_FILE", "MOVER_CONFIG_SECTION");
    V1Volume ca = volume(pod, "custom-ca");
    assertThat(ca.getSecret().getSecretName()).isEqualTo("tls-secret");
    assertThat(ca.getSecret().getItems()).containsExactly(new V1KeyToPath().key("root.pem").path("ca.crt"));
    assertThat(pod.getVolumes()).extracting(V1Volume::getName).doesNotContain("rclone-config");
  }

  private static V1Volume volume(V1PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }
}

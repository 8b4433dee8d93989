package coffee.acupof.datamover.mover;

import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.config.DataMoverProperties;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MoverJobBuilderTest {
  private final DataMoverProperties.Mover defaults = new DataMoverProperties(null, null, null, null, null, null, null, null).mover();

  private static Map<String, String> env(V1Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue, (a, b) -> b));
  }

  @Test
  void theJobFollowsTheMoverContract() {
    DataMover dm = dataMover("backup-web-data", new DataMoverSpec("web-data", "s3-credentials", true, null, null, null, null, null, null, null, null));

    V1Job job = MoverJobBuilder.build(dm, defaults, Optional.empty());

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
    V1PodSpec pod = MoverJobBuilder.build(dataMover("b"), defaults, Optional.empty()).getSpec().getTemplate().getSpec();
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
        dataMover("b", new DataMoverSpec("web-data", "s3", null, null, extra, new ImageSpec("registry.local/mover", "1.2.3", "Always"), null, null, null, null, null));

    V1Container c = MoverJobBuilder.build(dm, defaults, Optional.empty()).getSpec().getTemplate().getSpec().getContainers().getFirst();

    assertThat(c.getImage()).isEqualTo("registry.local/mover:1.2.3");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getEnv().subList(c.getEnv().size() - 2, c.getEnv().size())).isEqualTo(extra);
    assertThat(env(c)).containsEntry("ADD_TIMESTAMP_PREFIX", "false");
  }

  @Test
  void theRecordedPointAndThePathReachTheMover() {
    DataMover dm = dataMover("b", new DataMoverSpec("web-data", "s3", true, null, null, null, "shop/web-data", null, null, null, null))
        .status(new DataMoverStatus.Builder().pointInTime("2026-01-02-030407").build());

    V1Container c = MoverJobBuilder.build(dm, defaults, Optional.empty()).getSpec().getTemplate().getSpec().getContainers().getFirst();

    assertThat(env(c)).containsEntry("MOVER_TIMESTAMP", "2026-01-02-030407").containsEntry("MOVER_PATH", "shop/web-data");
  }
}

package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.Fixtures;
import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.api.RetentionSpec;
import coffee.acupof.datamover.config.DataMoverProperties;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PruneJobBuilderTest {
  private final DataMoverProperties.Mover defaults = new DataMoverProperties(null, null, null, null, null, null, null, null).mover();

  private static DataMoverSchedule schedule(String path, List<V1EnvVar> env) {
    return new DataMoverSchedule()
        .metadata(new V1ObjectMeta().name("nightly").namespace(Fixtures.NS).uid("uid-nightly"))
        .spec(new DataMoverScheduleSpec("0 2 * * *", "Europe/Berlin", null, null, null, null, null, null, null,
            new RetentionSpec(3, null, 7, 4, null, null, "36h"), "db-data", "s3", true, null, env,
            new ImageSpec("registry.example/mover", "1.1", "Always"), path, null, null));
  }

  @Test
  void thePruneJobRunsTheMoversPruneForTheSchedulesSourceAndPath() {
    V1Job job = PruneJobBuilder.build(schedule(null, List.of(new V1EnvVar().name("ENCRYPTED_PASSWORD").value("from-env"))),
        "nightly-prune-20260102030405", "2026-01-02-030405", Duration.ofHours(1), defaults);

    assertThat(job.getMetadata().getName()).isEqualTo("nightly-prune-20260102030405");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(PruneJobBuilder.ANNOTATION_POINT, "2026-01-02-030405");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "prune")
        .containsEntry("datamover.a-cup-of.coffee/datamoverschedule", "nightly");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("DataMoverSchedule");
      assertThat(r.getUid()).isEqualTo("uid-nightly");
    });
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
    assertThat(job.getSpec().getPodFailurePolicy().getRules().getFirst().getOnExitCodes().getValues()).containsExactly(2, 4);
    V1Container mover = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(mover.getEnv()).extracting(e -> e.getName() + "=" + e.getValue()).containsExactly(
        "MOVER_OPERATION=prune",
        "ADD_TIMESTAMP_PREFIX=true",
        "MOVER_SOURCE=apps/db-data",
        "MOVER_PATH=apps/db-data",
        "MOVER_KEEP_LAST=3",
        "MOVER_KEEP_DAILY=7",
        "MOVER_KEEP_WEEKLY=4",
        "MOVER_KEEP_WITHIN=36h",
        "MOVER_KEEP_TIMEZONE=Europe/Berlin",
        "ENCRYPTED_PASSWORD=from-env");
    assertThat(mover.getEnvFrom()).singleElement().satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("s3"));
    assertThat(mover.getImage()).isEqualTo("registry.example/mover:1.1");
    assertThat(mover.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(mover.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");
  }

  @Test
  void aGivenPathOrMoverPathInTheEnvironmentWins() {
    V1Job root = PruneJobBuilder.build(schedule("/", null), "j", "p", Duration.ofHours(1), defaults);
    assertThat(root.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .extracting(V1EnvVar::getName).contains("MOVER_PATH");

    V1Job env = PruneJobBuilder.build(schedule(null, List.of(new V1EnvVar().name("MOVER_PATH").value("elsewhere/db"))), "j", "p",
        Duration.ofHours(1), defaults);
    assertThat(env.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .filteredOn(e -> e.getName().equals("MOVER_PATH")).extracting(V1EnvVar::getValue).containsExactly("elsewhere/db");
  }

  @Test
  void aScheduleConfiguredByAnRcloneConfPrunesThroughTheSameFiles() {
    DataMoverSchedule schedule = new DataMoverSchedule()
        .metadata(new V1ObjectMeta().name("nightly").namespace(Fixtures.NS).uid("uid-nightly"))
        .spec(new DataMoverScheduleSpec("0 2 * * *", null, null, null, null, null, null, null, null,
            new RetentionSpec(3, null, null, null, null, null, null), "db-data", null, true, null, null, null, "volsync-bucket/db-data",
            new RcloneConfigSpec("rclone-secret", null, "aws-s3-bucket"), new CustomCaSpec(null, "tls-ca", "bundle.pem")));

    V1PodSpec pod = PruneJobBuilder.build(schedule, "j", "p", Duration.ofHours(1), defaults).getSpec().getTemplate().getSpec();
    V1Container mover = pod.getContainers().getFirst();

    assertThat(mover.getEnvFrom()).isNull();
    assertThat(mover.getEnv()).extracting(e -> e.getName() + "=" + e.getValue()).contains(
        "MOVER_CONFIG_FILE=/etc/datamover/rclone/rclone.conf", "MOVER_CONFIG_SECTION=aws-s3-bucket",
        "MOVER_CA_BUNDLE=/etc/datamover/ca/ca.crt", "MOVER_PATH=volsync-bucket/db-data");
    assertThat(pod.getVolumes()).extracting(V1Volume::getName).containsExactly("tmp", "rclone-config", "custom-ca");
    assertThat(mover.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp", "/etc/datamover/rclone", "/etc/datamover/ca");
  }
}

package coffee.acupof.datamover.restore;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.NS;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static coffee.acupof.datamover.Fixtures.restore;
import static coffee.acupof.datamover.Fixtures.restoreSpec;
import static coffee.acupof.datamover.Fixtures.s3Secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.PvcTemplate;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.phase.Transition;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1StorageClass;
import io.kubernetes.client.openapi.models.V1TypedObjectReference;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreHandlersTest {
  private final FakeCluster cluster = new FakeCluster().add(s3Secret("s3-credentials"));
  private final Cache<DataMoverSchedule> schedules = new Cache<>();
  private final RestoreOrigins origins = new RestoreOrigins(new Lister<>(schedules));
  private final DataMoverProperties properties = new DataMoverProperties(null, null, null, null, null, null, null, null);
  private final RestoreCleanup cleanup = new RestoreCleanup(cluster);
  private final ValidateRestoreHandler validate = new ValidateRestoreHandler(cluster, cluster, properties, new MoverSlots(new MoverSlots.Limits(0, 0), List::of, Clock.systemUTC()), origins);
  private final PrepareTargetHandler prepare = new PrepareTargetHandler(cluster, cluster, cleanup, properties);

  private static V1PersistentVolumeClaim consumer(String name, String storageClass) {
    return new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name(name).namespace(NS).uid("uid-" + name))
        .spec(
            new V1PersistentVolumeClaimSpec()
                .storageClassName(storageClass)
                .accessModes(List.of("ReadWriteOnce"))
                .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString("2Gi"))))
                .dataSourceRef(new V1TypedObjectReference().apiGroup("datamover.a-cup-of.coffee").kind("DataMoverRestore").name("fill")));
  }

  private static DataMoverRestoreStatus status(Transition<DataMoverRestoreStatus.Builder> t) {
    return t.changes().apply(new DataMoverRestoreStatus.Builder()).build();
  }

  @Test
  void anExistingFreeTargetIsPreparedAtOnce() {
    cluster.add(boundPvc("restored"));

    var t = validate.handle(new RestoreRun(restore("r", restoreSpec("restored")), CREATED));

    assertThat(t.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(status(t).targetPvc()).isEqualTo("restored");
  }

  @Test
  void aRestoreOverTheMoverSlotCapWaitsInPending() {
    cluster.add(boundPvc("restored"));
    MoverSlots.Source busy = new MoverSlots.Source() {
      @Override
      public List<MoverSlots.Claim> holding() {
        return List.of(new MoverSlots.Claim("DataMover", NS, "nightly", CREATED));
      }

      @Override
      public List<MoverSlots.Claim> waiting() {
        return List.of();
      }
    };
    var capped = new ValidateRestoreHandler(cluster, cluster, properties, new MoverSlots(new MoverSlots.Limits(1, 0), () -> List.of(busy), Clock.systemUTC()), origins);

    var t = capped.handle(new RestoreRun(restore("r", restoreSpec("restored")), CREATED));

    assertThat(t.next()).isEqualTo(RestorePhase.PENDING);
    assertThat(t.reason()).isEqualTo("WaitingForMoverSlot");
    assertThat(t.message()).contains("1 of 1 mover Jobs running");
  }

  @Test
  void aRestoreOfAScheduleReadsItsSourceSecretPathAndEnvironment() {
    cluster.add(boundPvc("restored"));
    DataMoverRestoreSpec spec = new DataMoverRestoreSpec(null, null, null, null, "restored", null, null, null, null, null, null, null, "nightly", null, null, null, null, null);
    DataMoverRestore r = restore("r", spec);

    var missing = validate.handle(new RestoreRun(r, CREATED));
    schedules.add(new DataMoverSchedule()
        .metadata(new V1ObjectMeta().name("nightly").namespace(NS))
        .spec(new DataMoverScheduleSpec("0 2 * * *", null, null, null, null, null, null, null, null, null, "db-data", "s3-credentials",
            true, null, List.of(new V1EnvVar().name("ENCRYPTED_PASSWORD").valueFrom(new V1EnvVarSource())), null, null, null, null, null, null, null, null, null)));
    var found = validate.handle(new RestoreRun(r, CREATED));

    assertThat(missing.reason()).isEqualTo("ScheduleNotFound");
    assertThat(found.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(found.message()).contains("restoring the latest of the backups of apps/db-data at path apps/db-data (schedule nightly)");
    RestoreOrigin origin = origins.of(new RestoreRun(r, CREATED)).orElseThrow();
    assertThat(RestoreJobBuilder.env(r, origin)).extracting(V1EnvVar::getName)
        .contains("MOVER_SOURCE", "MOVER_PATH", "ENCRYPTED_PASSWORD");
    assertThat(RestoreJobBuilder.env(r, origin)).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("MOVER_SOURCE");
      assertThat(e.getValue()).isEqualTo("apps/db-data");
    });
  }

  @Test
  void aTargetInUseWaitsWithAWarningThatNamesThePodAndLooksAgainSoon() {
    cluster.add(boundPvc("restored"));
    cluster.userPods.add(
        new V1Pod()
            .metadata(new V1ObjectMeta().name("postgres-0").namespace(NS))
            .spec(new V1PodSpec().volumes(List.of(new V1Volume().name("data").persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource().claimName("restored"))))));

    var t = validate.handle(new RestoreRun(restore("r", restoreSpec("restored")), CREATED.plusMinutes(1)));

    assertThat(t.next()).isEqualTo(RestorePhase.NEW);
    assertThat(t.reason()).isEqualTo("TargetPVCInUse");
    assertThat(t.eventType()).isEqualTo(EventType.WARNING);
    assertThat(t.message()).contains("mounted by pod(s) postgres-0", "allowTargetInUse: true");
    assertThat(t.requeueAfter()).contains(ValidateRestoreHandler.IN_USE_RECHECK);
  }

  @Test
  void aMissingTargetWithoutTemplateFailsAtTheDeadline() {
    var waiting = validate.handle(new RestoreRun(restore("r", restoreSpec("nowhere")), CREATED.plusMinutes(1)));
    var failed = validate.handle(new RestoreRun(restore("r", restoreSpec("nowhere")), CREATED.plusMinutes(10)));

    assertThat(waiting.message()).startsWith("Waiting: target PVC nowhere not found in namespace apps; create it or set targetPvcTemplate");
    assertThat(failed.next()).isEqualTo(RestorePhase.FAILED);
    assertThat(failed.message()).endsWith("(gave up after 10m)");
  }

  @Test
  void aPopulatorWaitsForAPvcThatNamesIt() {
    var t = validate.handle(new RestoreRun(restore("fill", restoreSpec(null)), CREATED.plusHours(3)));

    assertThat(t.next()).as("a data source waits without a deadline").isEqualTo(RestorePhase.NEW);
    assertThat(t.reason()).isEqualTo("WaitingForConsumer");
    assertThat(t.eventType()).isEqualTo(EventType.NORMAL);
  }

  @Test
  void aPopulatorWaitsForTheFirstConsumerOfAWaitForFirstConsumerClassThenTellsThePvcToo() {
    cluster.storageClasses.put("local", new V1StorageClass().metadata(new V1ObjectMeta().name("local")).volumeBindingMode("WaitForFirstConsumer"));
    V1PersistentVolumeClaim pvc = consumer("data", "local");
    cluster.add(pvc);
    DataMoverRestore fill = restore("fill", restoreSpec(null));

    var waiting = validate.handle(new RestoreRun(fill, CREATED));
    pvc.getMetadata().annotations(Map.of(RestorePvcBuilder.SELECTED_NODE, "node-a"));
    var ready = validate.handle(new RestoreRun(fill, CREATED));

    assertThat(waiting.reason()).isEqualTo("WaitingForFirstConsumer");
    assertThat(ready.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(status(ready).targetPvc()).isEqualTo("data");
    assertThat(ready.alsoOn()).extracting(Notice::about).containsExactly(pvc);
  }

  @Test
  void aPopulatorNeverFillsAPvcThatIsAlreadyBound() {
    V1PersistentVolumeClaim pvc = consumer("data", "csi");
    pvc.getSpec().volumeName("pv-1");
    cluster.add(pvc);

    var t = validate.handle(new RestoreRun(restore("fill", restoreSpec(null)), CREATED));

    assertThat(t.next()).isEqualTo(RestorePhase.FAILED);
    assertThat(t.reason()).isEqualTo("TargetPVCAlreadyBound");
  }

  @Test
  void theTargetIsCreatedFromItsTemplateOnceAndKeptWithoutAnOwnerByDefault() {
    DataMoverRestoreSpec spec =
        new DataMoverRestoreSpec("web-data", "s3-credentials", null, null, "restored",
            new PvcTemplate(null, List.of("ReadWriteOnce"), null, new PvcTemplate.Resources(Map.of("storage", Quantity.fromString("1Gi")), null)),
            null, null, null, null, null, null, null, null, null, null, null, null);
    DataMoverRestore r = inPhase(restore("r", spec), RestorePhase.PREPARING_TARGET, CREATED);

    var first = prepare.handle(new RestoreRun(r, CREATED));
    var unbound = prepare.handle(new RestoreRun(r, CREATED));
    cluster.pvc(NS, "restored").orElseThrow().status(new V1PersistentVolumeClaimStatus().phase("Bound"));
    var second = prepare.handle(new RestoreRun(r, CREATED));

    assertThat(first.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(first.reason()).as("creating it writes no status").isEqualTo(r.getStatus().reason());
    assertThat(first.events()).extracting(Notice::reason, Notice::message)
        .containsExactly(tuple("CreatingTargetPVC", "Creating target PVC restored from the template"));
    assertThat(unbound.next()).as("the Job waits for the bind: no storage class binds at once").isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(unbound.reason()).as("waiting for it writes no status").isEqualTo(r.getStatus().reason());
    assertThat(second.next()).isEqualTo(RestorePhase.RESTORING);
    assertThat(second.message()).isEqualTo("Target PVC restored is ready; starting restore Job r-restore (up to 3 attempts)");
    assertThat(second.changes().apply(r.getStatus().toBuilder()).build().jobName()).isEqualTo("r-restore");
    assertThat(cluster.writes).containsExactly("create pvc restored");
    V1PersistentVolumeClaim created = cluster.pvc(NS, "restored").orElseThrow();
    assertThat(created.getMetadata().getOwnerReferences()).isNull();
    assertThat(created.getMetadata().getLabels()).containsEntry("datamover.a-cup-of.coffee/datamoverrestore", "r");
  }

  @Test
  void anUnboundTargetOfAClassThatBindsAtOnceHoldsTheJobBackWarnsAtHalfTimeAndFailsAtTheDeadline() {
    cluster.add(new V1StorageClass().metadata(new V1ObjectMeta().name("csi-fast")).provisioner("csi.example.com").volumeBindingMode("Immediate"));
    cluster.add(boundPvc("restored").status(new V1PersistentVolumeClaimStatus().phase("Pending")));
    DataMoverRestore r = inPhase(restore("r", restoreSpec("restored")), RestorePhase.PREPARING_TARGET, CREATED);

    var late = prepare.handle(new RestoreRun(r, CREATED.plusMinutes(15)));
    var failed = prepare.handle(new RestoreRun(r, CREATED.plusMinutes(30)));

    assertThat(late.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(late.eventType()).isEqualTo(EventType.WARNING);
    assertThat(late.message()).startsWith("Target PVC restored is still not bound after 15m; check its storage class (kubectl describe pvc restored)");
    assertThat(failed.next()).isEqualTo(RestorePhase.FAILED);
    assertThat(failed.reason()).isEqualTo("TargetPVCNotBound");
    assertThat(cluster.writes).as("no Job before the bind").isEmpty();
  }

  @Test
  void anUnboundTargetOfAWaitForFirstConsumerClassGetsItsJobAtOnce() {
    cluster.add(new V1StorageClass().metadata(new V1ObjectMeta().name("csi-fast")).provisioner("csi.example.com").volumeBindingMode("WaitForFirstConsumer"));
    cluster.add(boundPvc("restored").status(new V1PersistentVolumeClaimStatus().phase("Pending")));
    DataMoverRestore r = inPhase(restore("r", restoreSpec("restored")), RestorePhase.PREPARING_TARGET, CREATED);

    assertThat(prepare.handle(new RestoreRun(r, CREATED)).next()).isEqualTo(RestorePhase.RESTORING);
  }

  @Test
  void thePrimePvcCopiesTheUsersClaimAndItsSelectedNode() {
    V1PersistentVolumeClaim pvc = consumer("data", "local");
    pvc.getMetadata().annotations(Map.of(RestorePvcBuilder.SELECTED_NODE, "node-a"));
    cluster.add(pvc);
    DataMoverRestore fill = restore("fill", restoreSpec(null));
    fill.status(new DataMoverRestoreStatus.Builder().phase(RestorePhase.PREPARING_TARGET).targetPvc("data").build());

    prepare.handle(new RestoreRun(fill, CREATED));

    V1PersistentVolumeClaim prime = cluster.pvc(NS, "fill-prime").orElseThrow();
    assertThat(prime.getSpec().getStorageClassName()).isEqualTo("local");
    assertThat(prime.getSpec().getResources().getRequests()).containsEntry("storage", Quantity.fromString("2Gi"));
    assertThat(prime.getSpec().getDataSourceRef()).isNull();
    assertThat(prime.getMetadata().getAnnotations()).containsEntry(RestorePvcBuilder.SELECTED_NODE, "node-a");
    assertThat(prime.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> assertThat(ref.getUid()).isEqualTo("uid-fill"));
  }

  @Test
  void theUsersPvcDeletedMidwayRemovesWhatTheRestoreCreated() {
    DataMoverRestore fill = restore("fill", restoreSpec(null));
    fill.status(new DataMoverRestoreStatus.Builder().phase(RestorePhase.PREPARING_TARGET).targetPvc("data").build());

    var t = prepare.handle(new RestoreRun(fill, CREATED));

    assertThat(t.next()).isEqualTo(RestorePhase.FAILED);
    assertThat(t.reason()).isEqualTo("TargetPVCDeleted");
    assertThat(cluster.writes).containsExactly("delete job fill-restore", "delete pvc fill-prime");
  }

  @Test
  void theRestoreJobReadsTheSourcesBackupsAtThePointAsked() {
    DataMoverRestoreSpec spec =
        new DataMoverRestoreSpec("web-data", "s3", "shop/web-data", "2026-01-02-030405", "restored", null, null, true, null, null, null, null, null, null, null, null, null, null);
    var env = RestoreJobBuilder.env(restore("r", spec), RestoreOrigin.of(spec)).stream()
        .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));

    assertThat(env)
        .containsEntry("MOVER_OPERATION", "restore")
        .containsEntry("MOVER_RESTORE_POINT", "2026-01-02-030405")
        .containsEntry("MOVER_SOURCE", "apps/web-data")
        .containsEntry("MOVER_PATH", "shop/web-data")
        .containsEntry("MOVER_ALLOW_NONEMPTY_TARGET", "true")
        .doesNotContainKey("MOVER_ALLOW_UNVERIFIED_BACKUP");
    assertThat(RestoreJobBuilder.build(restore("r", spec), RestoreOrigin.of(spec), "restored", properties.mover())
            .getSpec().getTemplate().getSpec().getVolumes().getFirst().getPersistentVolumeClaim().getClaimName())
        .isEqualTo("restored");
  }

  @Test
  void withoutAPointTheNewestCompleteBackupIsRestored() {
    var env = RestoreJobBuilder.env(restore("r", restoreSpec("x")), RestoreOrigin.of(restoreSpec("x")));

    assertThat(env).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("MOVER_RESTORE_POINT");
      assertThat(e.getValue()).isEqualTo("latest");
    });
  }

  private static DataMoverRestoreSpec volsyncStyle(CustomCaSpec ca) {
    return new DataMoverRestoreSpec("web-data", null, "volsync-bucket/web-data", null, "restored", null, null, null, null, null, null, null, null,
        new RcloneConfigSpec("rclone-secret", null, "aws-s3-bucket"), ca, null, null, null);
  }

  @Test
  void aRestoreConfiguredByAnRcloneConfWaitsForItsSecretAndCa() {
    cluster.add(boundPvc("restored"));
    DataMoverRestore r = restore("r", volsyncStyle(new CustomCaSpec("tls-secret", null, null)));

    var waiting = validate.handle(new RestoreRun(r, CREATED));

    assertThat(waiting.next()).isEqualTo(RestorePhase.NEW);
    assertThat(waiting.reason()).isEqualTo("SecretNotFound");
    assertThat(waiting.message()).isEqualTo("Waiting: Secret rclone-secret (rcloneConfig) not found in namespace apps; "
        + "Secret tls-secret (customCA) not found in namespace apps");

    cluster.add(secret("rclone-secret", "rclone.conf")).add(secret("tls-secret", "ca.crt"));
    var found = validate.handle(new RestoreRun(r, CREATED));

    assertThat(found.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
    assertThat(found.message()).isEqualTo(
        "rclone.conf Secret rclone-secret and CA Secret tls-secret found; restoring the latest of the backups of apps/web-data at path volsync-bucket/web-data into PVC restored");
  }

  @Test
  void theRestoreJobMountsTheRcloneConfAndTheCa() {
    DataMoverRestoreSpec spec = volsyncStyle(new CustomCaSpec(null, "tls-ca", null));
    var pod = RestoreJobBuilder.build(restore("r", spec), RestoreOrigin.of(spec), "restored", properties.mover())
        .getSpec().getTemplate().getSpec();

    assertThat(pod.getVolumes()).extracting(V1Volume::getName).containsExactly("data", "tmp", "rclone-config", "custom-ca");
    var mover = pod.getContainers().getFirst();
    assertThat(mover.getEnvFrom()).isNull();
    assertThat(mover.getEnv()).extracting(e -> e.getName() + "=" + e.getValue()).contains(
        "MOVER_CONFIG_FILE=/etc/datamover/rclone/rclone.conf", "MOVER_CONFIG_SECTION=aws-s3-bucket",
        "MOVER_CA_BUNDLE=/etc/datamover/ca/ca.crt", "MOVER_PATH=volsync-bucket/web-data");
  }

  private static V1Secret secret(String name, String key) {
    return new V1Secret().metadata(new V1ObjectMeta().name(name).namespace(NS)).data(Map.of(key, new byte[0]));
  }
}

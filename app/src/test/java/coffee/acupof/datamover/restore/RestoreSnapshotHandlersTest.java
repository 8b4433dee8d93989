package coffee.acupof.datamover.restore;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.NS;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static coffee.acupof.datamover.Fixtures.restore;
import static coffee.acupof.datamover.Fixtures.s3Secret;
import static coffee.acupof.datamover.Fixtures.snapshotClass;
import static coffee.acupof.datamover.Fixtures.storageClass;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.PvcTemplate;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A restore with {@code copyMethod: Snapshot}: validation, the step from the Job to the image, the image, clean-up. */
class RestoreSnapshotHandlersTest {
  private static final String DRIVER = "csi.example.com";
  private final FakeCluster cluster = new FakeCluster();
  private final DataMoverProperties properties = new DataMoverProperties(null, null, null, null, null, null, null, null);
  private final RestoreCleanup cleanup = new RestoreCleanup(cluster);
  private final RestoreOrigins origins = new RestoreOrigins(new Lister<>(new Cache<>()));
  private final ValidateRestoreHandler validate =
      new ValidateRestoreHandler(cluster, cluster, properties, new MoverSlots(new MoverSlots.Limits(0, 0), List::of, Clock.systemUTC()), origins);
  private final RestoreJobHandler job = new RestoreJobHandler(cluster, cluster, properties, cleanup, origins);
  private final PublishImageHandler publish = new PublishImageHandler(cluster, cluster, properties);
  private final RestoreCleanupHandler clean = new RestoreCleanupHandler(cluster, cluster, cleanup);

  @BeforeEach
  void inputs() {
    cluster.add(s3Secret("s3-credentials")).add(storageClass(DRIVER)).add(snapshotClass("fast", DRIVER, true));
  }

  /** A restore into a new PVC {@code restored} from a template of class csi-fast, published as a snapshot. */
  private static DataMoverRestoreSpec spec(String snapshotClass, Boolean deleteTarget) {
    return new DataMoverRestoreSpec("web-data", "s3-credentials", null, null, "restored",
        new PvcTemplate("csi-fast", List.of("ReadWriteOnce"), null, new PvcTemplate.Resources(Map.of("storage", Quantity.fromString("1Gi")), null)),
        null, null, null, null, null, null, null, null, null, "Snapshot", snapshotClass, deleteTarget);
  }

  private static DataMoverRestoreStatus status(Transition<DataMoverRestoreStatus.Builder> t) {
    return t.changes().apply(new DataMoverRestoreStatus.Builder()).build();
  }

  private VolumeSnapshot image(String name) {
    return cluster.volumeSnapshots.get(NS + "/" + name);
  }

  @Test
  void withoutTheSnapshotCrdsARestoreThatPublishesASnapshotSaysWhatToInstall() {
    cluster.snapshotState = OptionalInformer.State.ABSENT;

    var t = validate.handle(new RestoreRun(restore("r", spec(null, null)), CREATED.plusMinutes(1)));

    assertThat(t.next()).isEqualTo(RestorePhase.NEW);
    assertThat(t.reason()).isEqualTo("SnapshotCRDsMissing");
    assertThat(t.message()).contains("install the external-snapshotter's CRDs and its snapshot-controller");
  }

  @Test
  void theClassIsCheckedAgainstTheDriverOfTheTemplatesStorageClass() {
    var unknown = validate.handle(new RestoreRun(restore("r", spec("slow", null)), CREATED));
    var valid = validate.handle(new RestoreRun(restore("r", spec(null, null)), CREATED));

    assertThat(unknown.reason()).isEqualTo("VolumeSnapshotClassNotFound");
    assertThat(valid.next()).isEqualTo(RestorePhase.PREPARING_TARGET);
  }

  @Test
  void aSuccessfulRestoreGoesOnToItsSnapshot() {
    cluster.add(boundPvc("restored"));
    DataMoverRestore r = inPhase(restore("r", spec(null, null)), RestorePhase.RESTORING, CREATED);
    job.handle(new RestoreRun(r, CREATED));
    cluster.jobs.get(NS + "/r-restore").status(new V1JobStatus().succeeded(1)
        .conditions(List.of(new V1JobCondition().type("Complete").status("True"))));
    cluster.add(new V1Pod()
        .metadata(new V1ObjectMeta().name("r-restore-1").namespace(NS).labels(Map.of("batch.kubernetes.io/job-name", "r-restore")))
        .status(new V1PodStatus().phase("Succeeded").containerStatuses(List.of(new V1ContainerStatus().name("mover")
            .state(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(0).message(
                "{\"operation\":\"restore\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:b/p\",\"files\":3,\"bytes\":30}")))))));

    var t = job.handle(new RestoreRun(r, CREATED.plusMinutes(1)));

    assertThat(t.next()).isEqualTo(RestorePhase.CREATING_SNAPSHOT);
    assertThat(t.message()).isEqualTo("Restored s3:b/p (3 files, 30 bytes) into PVC restored; taking VolumeSnapshot r-snapshot of it");
  }

  @Test
  void theImageIsTakenOnceOfTheFilledPvcOwnedByTheRestoreAndPublishedWhenReady() {
    cluster.add(boundPvc("restored"));
    DataMoverRestore r = inPhase(restore("r", spec("fast", null)), RestorePhase.CREATING_SNAPSHOT, CREATED);
    r.status(r.getStatus().toBuilder().targetPvc("restored").build());

    var creating = publish.handle(new RestoreRun(r, CREATED));
    var waiting = publish.handle(new RestoreRun(r, CREATED.plusSeconds(1)));
    image("r-snapshot").status(new VolumeSnapshot.Status("content-1", null, true, Quantity.fromString("1Gi"), null));
    var published = publish.handle(new RestoreRun(r, CREATED.plusSeconds(2)));

    assertThat(cluster.writes).containsExactly("create volumesnapshot r-snapshot");
    assertThat(creating.events()).extracting(Notice::message).containsExactly("Taking VolumeSnapshot r-snapshot of the restored PVC restored with class fast");
    assertThat(creating.reason()).as("the status named the snapshot when the phase began").isEqualTo(r.getStatus().reason());
    assertThat(waiting.reason()).as("a normal wait writes nothing").isEqualTo(r.getStatus().reason());
    assertThat(waiting.events()).isEmpty();
    assertThat(status(waiting).latestImage()).as("published only once ready").isNull();
    VolumeSnapshot taken = image("r-snapshot");
    assertThat(taken.getSpec().source().persistentVolumeClaimName()).isEqualTo("restored");
    assertThat(taken.getSpec().volumeSnapshotClassName()).isEqualTo("fast");
    assertThat(taken.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> assertThat(ref.getUid()).isEqualTo("uid-r"));
    assertThat(taken.getMetadata().getLabels()).containsEntry("datamover.a-cup-of.coffee/datamoverrestore", "r");
    assertThat(published.next()).isEqualTo(RestorePhase.CLEANING_UP);
    assertThat(published.reason()).isEqualTo("ImagePublished");
    assertThat(status(published).latestImage().getName()).isEqualTo("r-snapshot");
    assertThat(status(published).latestImage().getKind()).isEqualTo("VolumeSnapshot");
    assertThat(status(published).latestImage().getApiGroup()).isEqualTo("snapshot.storage.k8s.io");
  }

  @Test
  void theImageOfAScheduledRestoreBelongsToItsSchedule() {
    DataMoverRestore run = restore("nightly-202601020304", spec(null, null));
    run.getMetadata()
        .ownerReferences(List.of(new V1OwnerReference().apiVersion(DataMoverApi.API_VERSION).kind(DataMoverApi.SCHEDULE_KIND)
            .name("nightly").uid("uid-nightly").controller(true)))
        .labels(Map.of("datamover.a-cup-of.coffee/datamoverschedule", "nightly"));

    VolumeSnapshot image = RestoreImageBuilder.build(run, "nightly-202601020304");

    assertThat(image.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> assertThat(ref.getUid()).isEqualTo("uid-nightly"));
    assertThat(image.getMetadata().getLabels())
        .containsEntry("datamover.a-cup-of.coffee/datamoverschedule", "nightly")
        .containsEntry("datamover.a-cup-of.coffee/datamoverrestore", "nightly-202601020304");
    assertThat(RestoreImageBuilder.belongsTo(image, run)).isTrue();
    assertThat(RestoreImageBuilder.belongsTo(image, restore("other", spec(null, null)))).isFalse();
  }

  @Test
  void aTargetTheRestoreCreatedIsDeletedOnceItsImageIsPublishedButNeverOneThatExistedBefore() {
    DataMoverRestore r = restore("r", spec(null, true));
    cluster.add(RestorePvcBuilder.target(r));
    r.status(new DataMoverRestoreStatus.Builder().phase(RestorePhase.CLEANING_UP).targetPvc("restored")
        .latestImage(RestoreImageBuilder.reference(RestoreImageBuilder.build(r, "restored"))).build());

    var t = clean.handle(new RestoreRun(r, CREATED));

    assertThat(cluster.writes).containsExactly("delete job r-restore", "delete pvc restored");
    assertThat(t.message()).endsWith("published VolumeSnapshot r-snapshot as status.latestImage;"
        + " PVC restored deleted (deleteTargetPvcAfterSnapshot: the snapshot holds the data)");

    cluster.writes.clear();
    cluster.add(boundPvc("restored"));
    clean.handle(new RestoreRun(r, CREATED));
    assertThat(cluster.writes).containsExactly("delete job r-restore");
  }
}

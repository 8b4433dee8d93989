package coffee.acupof.datamover.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static coffee.acupof.datamover.Fixtures.storageClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import coffee.acupof.datamover.volume.VolumeBinding;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CloneHandlersTest {
  private final FakeCluster cluster = new FakeCluster().add(boundPvc("web-data"));
  private final CreateClonedPvcHandler create = new CreateClonedPvcHandler(cluster, cluster, cluster);
  private final ClonedPvcReadyHandler ready = new ClonedPvcReadyHandler(cluster, new DataMoverProperties(null, null, null, null, null, null, null, null));
  private final DataMover dm = inPhase(dataMover("backup"), Phase.CREATING_CLONED_PVC, CREATED);

  @Test
  void createsTheCloneOnceAndMovesOnWhenItIsSeen() {
    var first = create.handle(new Run(dm, CREATED));
    assertThat(first.next()).isEqualTo(Phase.CREATING_CLONED_PVC);
    assertThat(cluster.writes).containsExactly("create pvc backup-clone");

    var second = create.handle(new Run(dm, CREATED));
    assertThat(second.next()).isEqualTo(Phase.CLONED_PVC_READY);
    assertThat(cluster.writes).containsExactly("create pvc backup-clone");
  }

  @Test
  void aForeignPvcWithTheCloneNameFailsTheRunInsteadOfBeingUsed() {
    cluster.add(boundPvc("backup-clone"));

    var t = create.handle(new Run(dm, CREATED));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("ClonePVCConflict");
    assertThat(t.message()).contains("PVC backup-clone already exists and does not belong to this DataMover");
  }

  @Test
  void aRefusedCloneFailsWithTheServersMessage() {
    cluster.failNextWrite(422, "could not create PVC backup-clone: storage class csi-fast does not support cloning");

    var t = create.handle(new Run(dm, CREATED));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.message()).endsWith("storage class csi-fast does not support cloning");
  }

  @Test
  void aTransientErrorIsRetriedNotFailed() {
    cluster.failNextWrite(503, "could not create PVC backup-clone: HTTP 503");

    assertThatThrownBy(() -> create.handle(new Run(dm, CREATED))).isInstanceOf(ClusterException.class);
  }

  @Test
  void readyWaitsForTheBindOfAClassThatBindsAtOnceWritingNothingThenWarnsThenFails() {
    cluster.add(storageClass("csi.example.com"));
    cluster.add(ClonePvcBuilder.build(dm, boundPvc("web-data")).status(new V1PersistentVolumeClaimStatus().phase("Pending")));
    DataMover waiting = inPhase(dataMover("backup"), Phase.CLONED_PVC_READY, CREATED);

    var soon = ready.handle(new Run(waiting, CREATED.plusMinutes(1)));
    assertThat(soon.next()).isEqualTo(Phase.CLONED_PVC_READY);
    assertThat(soon.reason()).as("waiting for the bind writes nothing").isEqualTo(waiting.getStatus().reason());
    assertThat(soon.requeueAfter()).contains(Duration.ofMinutes(14));

    var late = ready.handle(new Run(waiting, CREATED.plusMinutes(16)));
    assertThat(late.next()).isEqualTo(Phase.CLONED_PVC_READY);
    assertThat(late.reason()).isEqualTo(VolumeBinding.WAITING);
    assertThat(late.eventType()).isEqualTo(EventType.WARNING);
    assertThat(late.message()).isEqualTo("Clone backup-clone is still not bound after 15m; check that the storage class supports CSI volume"
        + " cloning (kubectl describe pvc backup-clone); the mover Job starts once it is bound, and the run fails if it is not bound within 30m");
    assertThat(late.requeueAfter()).contains(Duration.ofMinutes(14));

    var failed = ready.handle(new Run(waiting, CREATED.plusMinutes(30)));
    assertThat(failed.next()).isEqualTo(Phase.FAILED);
    assertThat(failed.reason()).isEqualTo("ClonePVCNotBound");
    assertThat(cluster.writes).isEmpty();
  }

  @Test
  void readyMovesOnOnceTheCloneIsBound() {
    cluster.add(storageClass("csi.example.com"));
    cluster.add(ClonePvcBuilder.build(dm, boundPvc("web-data")).status(new V1PersistentVolumeClaimStatus().phase("Bound")));

    assertThat(ready.handle(new Run(dm, CREATED)).next()).isEqualTo(Phase.CREATING_POD);
  }

  @Test
  void readyDoesNotWaitForBoundWhenTheClassBindsOnFirstConsumer() {
    cluster.add(storageClass("csi.example.com").volumeBindingMode("WaitForFirstConsumer"));
    cluster.add(ClonePvcBuilder.build(dm, boundPvc("web-data")).status(new V1PersistentVolumeClaimStatus().phase("Pending")));

    var t = ready.handle(new Run(dm, CREATED));

    assertThat(t.next()).isEqualTo(Phase.CREATING_POD);
  }

  @Test
  void aLostCloneFails() {
    cluster.add(ClonePvcBuilder.build(dm, boundPvc("web-data")).status(new V1PersistentVolumeClaimStatus().phase("Lost")));

    assertThat(ready.handle(new Run(dm, CREATED)).next()).isEqualTo(Phase.FAILED);
  }

  @Test
  void aDeletedCloneFails() {
    var t = ready.handle(new Run(dm, CREATED));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("ClonePVCLost");
  }
}

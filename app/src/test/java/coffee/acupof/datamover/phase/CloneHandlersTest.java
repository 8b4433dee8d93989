package coffee.acupof.datamover.phase;

import coffee.acupof.datamover.config.DataMoverProperties;
import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
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
  void readyDoesNotWaitForBound() {
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

package coffee.acupof.datamover.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import org.junit.jupiter.api.Test;

class CleanupHandlerTest {
  private final FakeCluster cluster = new FakeCluster();
  private final CleanupHandler handler = new CleanupHandler(cluster, cluster);
  private final DataMover dm =
      dataMover("backup")
          .status(new DataMoverStatus.Builder().phase(Phase.CLEANING_UP).message("Backup written to s3:bucket").build());

  @Test
  void deletesTheJobAndTheCloneThenCompletes() {
    cluster.add(ClonePvcBuilder.build(dm, boundPvc("web-data")));

    var t = handler.handle(new Run(dm, CREATED));

    assertThat(cluster.writes).containsExactly("delete job backup-mover", "delete pvc backup-clone");
    assertThat(cluster.pvcs).isEmpty();
    assertThat(t.next()).isEqualTo(Phase.COMPLETED);
    assertThat(t.message()).isEqualTo("Backup written to s3:bucket; clone backup-clone deleted");
  }

  @Test
  void aCloneThatCannotBeDeletedStillCompletesAndSaysSo() {
    cluster.failNextWrite(403, "could not delete Job backup-mover: forbidden");

    var t = handler.handle(new Run(dm, CREATED));

    assertThat(t.next()).isEqualTo(Phase.COMPLETED);
    assertThat(t.reason()).isEqualTo(CleanupHandler.CLEANUP_FAILED);
    assertThat(t.message()).contains("could not be deleted, delete it by hand: could not delete Job backup-mover: forbidden");
  }

  @Test
  void aTransientErrorIsRetried() {
    cluster.failNextWrite(500, "boom");

    assertThatThrownBy(() -> handler.handle(new Run(dm, CREATED))).isInstanceOf(ClusterException.class);
  }
}

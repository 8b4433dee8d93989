package coffee.acupof.datamover.mover;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PointAllocatorTest {
  /** The cache: every timestamped run, found by its location as the informer's index finds it. */
  private final List<DataMover> cache = new ArrayList<>();
  private final PointAllocator allocator =
      new PointAllocator(path -> cache.stream().filter(d -> d.getSpec().effectivePath().equals(path)).toList());

  private DataMover run(String name, String path, int secondsAfterCreated) {
    DataMover dm = dataMover(name, new DataMoverSpec("pvc-" + name, "s3", true, null, null, null, path, null, null));
    dm.getMetadata().creationTimestamp(CREATED.plusSeconds(secondsAfterCreated)).uid("uid-" + name);
    cache.add(dm);
    return dm;
  }

  private void record(DataMover dm, String point) {
    dm.status(dm.getStatus().toBuilder().phase(Phase.CREATING_CLONED_PVC).pointInTime(point).build());
  }

  @Test
  void aLoneRunGetsItsCreationSecond() {
    assertThat(allocator.allocate(run("a", null, 0))).isEqualTo("2026-01-02-030405");
  }

  @Test
  void runsCreatedInTheSameSecondGetConsecutiveSecondsInADeterministicOrder() {
    DataMover c = run("c", null, 0);
    DataMover a = run("a", null, 0);
    DataMover b = run("b", null, 0);

    // Whichever is validated first, the order is by creation time, then namespace and name.
    Map<String, String> points = List.of(c, b, a).stream().collect(Collectors.toMap(DataMover::name, allocator::allocate));

    assertThat(points).containsEntry("a", "2026-01-02-030405").containsEntry("b", "2026-01-02-030406").containsEntry("c", "2026-01-02-030407");
  }

  @Test
  void aSecondHeldByARecordedRunIsSkipped() {
    DataMover earlier = run("earlier", "shop/db", -5);
    record(earlier, "2026-01-02-030405");

    assertThat(allocator.allocate(run("now", "shop/db", 0))).isEqualTo("2026-01-02-030406");
  }

  @Test
  void differentPathsNeverShiftEachOther() {
    assertThat(allocator.allocate(run("db", "shop/db", 0))).isEqualTo("2026-01-02-030405");
    assertThat(allocator.allocate(run("web", "shop/web", 0))).isEqualTo("2026-01-02-030405");
  }

  @Test
  void theSameRunAlwaysGetsTheSamePointUntilItsStatusRecordsIt() {
    DataMover a = run("a", null, 0);
    DataMover b = run("b", null, 0);

    assertThat(allocator.allocate(b)).as("a comes first, so b leaves it the creation second").isEqualTo("2026-01-02-030406");
    assertThat(allocator.allocate(b)).as("asked again (a failed status write)").isEqualTo("2026-01-02-030406");
    record(b, "2026-01-02-030406");
    assertThat(allocator.allocate(a)).isEqualTo("2026-01-02-030405");
    assertThat(allocator.allocate(b)).isEqualTo("2026-01-02-030406");
  }

  @Test
  void aRunValidatedBeforePointsWereRecordedHoldsItsCreationSecond() {
    DataMover legacy = run("legacy", null, 0);
    legacy.status(new DataMoverStatus.Builder().phase(Phase.CREATING_POD).build());

    assertThat(allocator.allocate(run("new", null, 0))).isEqualTo("2026-01-02-030406");
  }

  @Test
  void aRunStillWaitingForItsInputsDoesNotHoldASecondBehindIt() {
    DataMover later = run("later", null, 1);
    inPhase(later, Phase.NEW, CREATED);

    assertThat(allocator.allocate(run("first", null, 0))).isEqualTo("2026-01-02-030405");
  }

  @Test
  void thePathComesFromAdditionalEnvWhenItSetsMoverPath() {
    DataMover dm = dataMover("x", new DataMoverSpec("pvc", "s3", true, null, List.of(new V1EnvVar().name("MOVER_PATH").value("/shop//db/")), null, null, null, null));

    assertThat(dm.getSpec().effectivePath()).isEqualTo("shop/db");
  }
}

package coffee.acupof.datamover.restore;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.NS;
import static coffee.acupof.datamover.Fixtures.restore;
import static coffee.acupof.datamover.Fixtures.restoreSpec;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.Notice;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The volume-populator hand-over, step by step, as the PV controller would see it. */
class BindVolumeHandlerTest {
  private final FakeCluster cluster = new FakeCluster();
  private final BindVolumeHandler handler =
      new BindVolumeHandler(cluster, cluster, new RestoreCleanup(cluster), new DataMoverProperties(null, null, null, null, null, null, null, null));
  private final DataMoverRestore fill = restore("fill", restoreSpec(null));
  private final V1PersistentVolumeClaim user =
      new V1PersistentVolumeClaim().metadata(new V1ObjectMeta().name("data").namespace(NS).uid("uid-data")).spec(new V1PersistentVolumeClaimSpec());

  BindVolumeHandlerTest() {
    fill.status(new DataMoverRestoreStatus.Builder().phase(RestorePhase.BINDING).phaseTransitionTime(CREATED).targetPvc("data")
        .reason("RestoreSucceeded").build());
    cluster.add(user);
    cluster.add(new V1PersistentVolumeClaim()
        .metadata(new V1ObjectMeta().name("fill-prime").namespace(NS).uid("uid-prime"))
        .spec(new V1PersistentVolumeClaimSpec().volumeName("pv-1")));
    cluster.add(new V1PersistentVolume()
        .metadata(new V1ObjectMeta().name("pv-1"))
        .spec(new V1PersistentVolumeSpec()
            .persistentVolumeReclaimPolicy("Delete")
            .claimRef(new V1ObjectReference().namespace(NS).name("fill-prime").uid("uid-prime").resourceVersion("7"))));
  }

  /** One step: the phase and reason the status has after it, and the Events it records on the restore. */
  private String step() {
    var t = handler.handle(new RestoreRun(fill, CREATED.plusSeconds(5)));
    fill.status(t.changes().apply(fill.getStatus().toBuilder()).phase(t.next()).reason(t.reason()).build());
    // Each step's Event is on the user's PVC too (kubectl describe pvc).
    assertThat(t.events().stream().filter(e -> e.about() == user).map(Notice::reason).toList())
        .isEqualTo(t.events().stream().filter(e -> e.about() == null).map(Notice::reason).toList());
    return t.next() + " " + t.reason() + " " + t.events().stream().filter(e -> e.about() == null).map(Notice::reason).toList();
  }

  @Test
  void theVolumeIsRetainedHandedToTheUsersPvcAndGetsItsPolicyBack() {
    List<String> steps = new ArrayList<>();
    steps.add(step());
    assertThat(cluster.pv("pv-1").orElseThrow().getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    steps.add(step());
    assertThat(cluster.pv("pv-1").orElseThrow().getSpec().getClaimRef()).satisfies(ref -> {
      assertThat(ref.getName()).isEqualTo("data");
      assertThat(ref.getUid()).isEqualTo("uid-data");
      assertThat(ref.getResourceVersion()).isNull();
    });
    steps.add(step());
    assertThat(cluster.pvc(NS, "fill-prime")).isEmpty();
    steps.add(step());
    // The PV controller binds the user's PVC to the volume.
    user.getSpec().volumeName("pv-1");
    user.status(new V1PersistentVolumeClaimStatus().phase("Bound"));
    steps.add(step());
    assertThat(cluster.pv("pv-1").orElseThrow().getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(cluster.pv("pv-1").orElseThrow().getMetadata().getAnnotations()).isNullOrEmpty();

    // The steps write no status (the reason stays the one the phase began with); each leaves an Event.
    // The last one (the policy back, the annotations that map the volume's events to the restore gone)
    // moves on at once: no event of the volume would wake the restore again.
    assertThat(steps).containsExactly(
        "Binding RestoreSucceeded [RetainingVolume]", "Binding RestoreSucceeded [RebindingVolume]", "Binding RestoreSucceeded [RemovingPrimePVC]",
        "Binding RestoreSucceeded []", "CleaningUp VolumeBound [RestoringReclaimPolicy]");
    assertThat(fill.getStatus().volumeName()).isEqualTo("pv-1");
  }

  @Test
  void theUsersPvcDeletedMidwayLeavesNoVolumeBehind() {
    step();
    cluster.pvcs.remove(NS + "/data");

    var t = handler.handle(new RestoreRun(fill, CREATED.plusSeconds(5)));

    assertThat(t.next()).isEqualTo(RestorePhase.FAILED);
    assertThat(t.reason()).isEqualTo("TargetPVCDeleted");
    assertThat(cluster.pv("pv-1").orElseThrow().getSpec().getPersistentVolumeReclaimPolicy()).as("so the volume is not leaked").isEqualTo("Delete");
    assertThat(cluster.pvc(NS, "fill-prime")).isEmpty();
  }
}

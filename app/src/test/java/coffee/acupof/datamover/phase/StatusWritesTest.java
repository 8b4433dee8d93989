package coffee.acupof.datamover.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.NS;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.s3Secret;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.DataMoverMetrics;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.runtime.Notice;
import coffee.acupof.datamover.runtime.Step;
import coffee.acupof.datamover.runtime.phase.PhaseMachine;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The status writes of whole backup runs through the phase machine and every handler, on an in-memory
 * cluster: the reconciler writes a step's status only when it differs from the one it read, so each
 * differing status here is one write.
 */
class StatusWritesTest {
  private static final String SUCCESS =
      "{\"operation\":\"backup\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:bucket/backup\",\"files\":2,\"bytes\":20}";
  private static final String REFUSED = "{\"operation\":\"backup\",\"status\":\"failed\",\"exitCode\":3,\"message\":\"connection refused\"}";

  private final FakeCluster cluster = new FakeCluster().add(boundPvc("web-data")).add(s3Secret("s3-credentials"));
  private final DataMoverProperties properties = new DataMoverProperties(null, null, null, null, null, null, null, null);
  private final PhaseMachine<DataMover, DataMoverStatus, DataMoverStatus.Builder, Run> machine = machine();
  private final List<String> written = new ArrayList<>();
  private final List<Notice> events = new ArrayList<>();
  private final DataMover dm = dataMover("backup", new DataMoverSpec("web-data", "s3-credentials", null, true, null, null, null, null, null, null, null, null, null));
  private Duration clock = Duration.ofSeconds(10);

  private PhaseMachine<DataMover, DataMoverStatus, DataMoverStatus.Builder, Run> machine() {
    MoverSlots slots = new MoverSlots(new MoverSlots.Limits(0, 0), List::of, Clock.systemUTC());
    return new PhaseMachine<>(
        Arrays.asList(Phase.values()),
        List.of(
            new ValidateHandler(cluster, cluster, properties, new PointAllocator(path -> List.of()), slots),
            new PendingHandler(slots, properties),
            new CreateSnapshotHandler(cluster, cluster, properties),
            new CreateClonedPvcHandler(cluster, cluster, cluster),
            new ClonedPvcReadyHandler(cluster, properties),
            new MoverJobHandler(cluster, cluster, properties),
            new CleanupHandler(cluster, cluster)),
        Phase::fromWireName,
        Run::new,
        new DataMoverMetrics(new SimpleMeterRegistry()));
  }

  /** One reconcile a few seconds later, as the reconciler does it: a write when the status changed, then the Events. */
  private void reconcile() {
    clock = clock.plusSeconds(5);
    Step<DataMoverStatus> step = machine.reconcile(dm, CREATED.plus(clock));
    if (!Objects.equals(step.status(), dm.getStatus())) {
      dm.status(step.status());
      written.add(step.status().phase() + " " + step.status().reason());
    }
    events.addAll(step.notices());
    // The provisioner and the PV controller bind a PVC the step created before the next reconcile.
    cluster.pvcs.values().stream().filter(p -> p.getStatus() == null).forEach(p -> p.status(new V1PersistentVolumeClaimStatus().phase("Bound")));
  }

  private void jobStatus(V1JobStatus status) {
    cluster.jobs.get(NS + "/backup-mover").status(status);
  }

  private void pod(String name, String phase, Integer exitCode, String message) {
    V1ContainerStatus container = new V1ContainerStatus().name("mover");
    if (exitCode != null) {
      container.state(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(exitCode).message(message)));
    }
    cluster.pods.removeIf(p -> p.getMetadata().getName().equals(name));
    cluster.add(new V1Pod()
        .metadata(new V1ObjectMeta().name(name).namespace(NS).creationTimestamp(CREATED.plus(clock))
            .labels(Map.of("batch.kubernetes.io/job-name", "backup-mover")))
        .status(new V1PodStatus().phase(phase).containerStatuses(List.of(container))));
  }

  /** Validation, the clone, and the Job created: the run is in CreatingPod with its Job. */
  private void upToTheJob() {
    for (int i = 0; i < 5; i++) {
      reconcile();
    }
    assertThat(cluster.jobs).containsKey(NS + "/backup-mover");
  }

  private void succeeds(int attempts) {
    pod("p" + attempts, "Succeeded", 0, SUCCESS);
    jobStatus(new V1JobStatus().failed(attempts - 1).succeeded(1).conditions(List.of(new V1JobCondition().type("Complete").status("True"))));
    reconcile();
    reconcile();
  }

  @Test
  void aNormalRunWritesItsStatusOncePerPhaseAndStillRecordsAnEventForEachChildItCreates() {
    upToTheJob();
    jobStatus(new V1JobStatus().active(1));
    reconcile();
    pod("p1", "Pending", null, null);
    reconcile();
    pod("p1", "Running", null, null);
    reconcile();
    succeeds(1);

    assertThat(written).containsExactly(
        "CreatingClonedPVC Validated", "ClonedPVCReady ClonePVCCreated", "CreatingPod CreatingMoverJob", "CleaningUp MoverSucceeded",
        "Completed Completed");
    assertThat(events).extracting(Notice::reason).containsExactly(
        "Validated", "CreatingClonePVC", "ClonePVCCreated", "CreatingMoverJob", "MoverJobCreated", "MoverSucceeded", "Completed");
    assertThat(events).extracting(Notice::message).contains(
        "Creating clone backup-clone of web-data", "Created mover Job backup-mover (up to 3 attempts)");
    assertThat(dm.getStatus().attempts()).isEqualTo(1);
    assertThat(dm.getStatus().jobName()).isEqualTo("backup-mover");
    assertThat(dm.getStatus().restoredPvcName()).isEqualTo("backup-clone");
  }

  @Test
  void theStatusNamesTheCloneAndTheJobBeforeTheyAreCreated() {
    reconcile();
    assertThat(dm.getStatus().message()).endsWith("cloning the source to backup-clone");
    assertThat(dm.getStatus().restoredPvcName()).isEqualTo("backup-clone");
    reconcile();
    reconcile();
    reconcile();
    assertThat(dm.getStatus().phase()).isEqualTo("CreatingPod");
    assertThat(dm.getStatus().message()).isEqualTo("Clone backup-clone is ready; starting mover Job backup-mover (up to 3 attempts)");
  }

  @Test
  void aFailedAttemptIsAWarningThatIsWrittenAndSoIsItsEnd() {
    upToTheJob();
    pod("p1", "Failed", 3, REFUSED);
    jobStatus(new V1JobStatus().failed(1));
    reconcile();
    assertThat(dm.getStatus().reason()).isEqualTo("MoverAttemptFailed");
    assertThat(dm.getStatus().attempts()).isEqualTo(1);
    reconcile();
    assertThat(written).as("the same warning again writes nothing").hasSize(4);

    pod("p2", "Running", null, null);
    jobStatus(new V1JobStatus().failed(1).active(1));
    reconcile();
    reconcile();
    succeeds(2);

    assertThat(written).containsExactly(
        "CreatingClonedPVC Validated", "ClonedPVCReady ClonePVCCreated", "CreatingPod CreatingMoverJob", "CreatingPod MoverAttemptFailed",
        "CreatingPod MoverRunning", "CleaningUp MoverSucceeded", "Completed Completed");
    assertThat(events).filteredOn(e -> e.type() == EventType.WARNING).extracting(Notice::message)
        .containsExactly("Mover attempt 1 of 3 failed, the next one starts after a back-off: connection refused (exit code 3)");
    assertThat(events).filteredOn(e -> e.reason().equals("MoverRunning")).extracting(Notice::message)
        .containsExactly("Mover Job backup-mover running, attempt 2 of 3; previous attempt failed: connection refused (exit code 3)");
    assertThat(dm.getStatus().attempts()).isEqualTo(2);
  }
}

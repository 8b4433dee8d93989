package coffee.acupof.datamover.phase;

import static coffee.acupof.datamover.Fixtures.CREATED;
import static coffee.acupof.datamover.Fixtures.NS;
import static coffee.acupof.datamover.Fixtures.boundPvc;
import static coffee.acupof.datamover.Fixtures.dataMover;
import static coffee.acupof.datamover.Fixtures.inPhase;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.EventType;
import coffee.acupof.datamover.runtime.phase.Transition;
import coffee.acupof.datamover.volume.ClonePvcBuilder;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MoverJobHandlerTest {
  private static final String SUCCESS =
      "{\"operation\":\"backup\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:bucket/2026-01-02-030405\","
          + "\"pointInTime\":\"2026-01-02-030405\",\"files\":12,\"bytes\":4096,\"errors\":0,\"message\":\"backup complete\"}";
  private static final String DENIED =
      "{\"operation\":\"backup\",\"status\":\"failed\",\"exitCode\":3,\"message\":\"the remote cannot be reached (connection refused): check BUCKET_HOST\"}";

  private final FakeCluster cluster = new FakeCluster();
  private final MoverJobHandler handler = new MoverJobHandler(cluster, cluster, new DataMoverProperties(null, null, null, null, null, null, null, null));
  private static final String ENTERED = "Clone backup-clone is ready; starting mover Job backup-mover (up to 3 attempts)";
  private DataMover dm = entered(inPhase(dataMover("backup"), Phase.CREATING_POD, CREATED));

  /** The run as the transition into CreatingPod left it: the Job named, its name set. */
  private static DataMover entered(DataMover run) {
    return run.status(run.getStatus().toBuilder().reason("CreatingMoverJob").message(ENTERED).jobName("backup-mover").build());
  }

  /** The run after a status write that said {@code reason}. */
  private void shows(String reason) {
    dm = dm.status(dm.getStatus().toBuilder().reason(reason).message("what the warning said").build());
  }

  @BeforeEach
  void cloneExists() {
    cluster.add(ClonePvcBuilder.build(dm, boundPvc("web-data")).status(new V1PersistentVolumeClaimStatus().phase("Pending")));
  }

  private Transition<DataMoverStatus.Builder> handle(Duration inPhase) {
    return handler.handle(new Run(dm, CREATED.plus(inPhase)));
  }

  private V1Job job() {
    return cluster.jobs.get(NS + "/backup-mover");
  }

  private void jobStatus(V1JobStatus status) {
    job().status(status);
  }

  private void pod(String name, int minute, String phase, Integer exitCode, String message) {
    V1ContainerStatus container = new V1ContainerStatus().name("mover");
    if (exitCode != null) {
      container.state(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(exitCode).message(message)));
    }
    cluster.add(
        new V1Pod()
            .metadata(
                new V1ObjectMeta()
                    .name(name)
                    .namespace(NS)
                    .creationTimestamp(CREATED.plusMinutes(minute))
                    .labels(Map.of("batch.kubernetes.io/job-name", "backup-mover")))
            .status(new V1PodStatus().phase(phase).containerStatuses(List.of(container))));
  }

  @Test
  void createsTheJobWithoutWaitingForTheCloneToBindAndSaysSoInAnEventOnly() {
    var t = handle(Duration.ZERO);

    assertThat(cluster.writes).containsExactly("create job backup-mover");
    assertThat(t.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(t.reason()).as("the status named the Job already").isEqualTo("CreatingMoverJob");
    assertThat(t.message()).isEqualTo(ENTERED);
    assertThat(status(t).jobName()).isEqualTo("backup-mover");
    assertThat(t.events()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventType.NORMAL);
      assertThat(e.reason()).isEqualTo("MoverJobCreated");
      assertThat(e.message()).isEqualTo("Created mover Job backup-mover (up to 3 attempts)");
    });
  }

  @Test
  void theJobsNormalProgressWritesNothing() {
    handle(Duration.ZERO);
    jobStatus(new V1JobStatus().active(1));
    pod("p1", 0, "Pending", null, null);
    var pending = handle(Duration.ofSeconds(5));
    pod("p1", 0, "Running", null, null);
    var running = handle(Duration.ofSeconds(10));

    for (var t : List.of(pending, running)) {
      assertThat(t.next()).isEqualTo(Phase.CREATING_POD);
      assertThat(t.reason()).isEqualTo("CreatingMoverJob");
      assertThat(t.message()).isEqualTo(ENTERED);
      assertThat(t.events()).isEmpty();
      assertThat(status(t).attempts()).as("attempts are written when the phase ends").isNull();
    }
    assertThat(running.requeueAfter()).as("the Job's deadline still applies").contains(Duration.ofHours(6).plusMinutes(10).minusSeconds(10));
  }

  @Test
  void aFailedAttemptWithRetriesLeftIsWrittenOnlyToEndTheWarning() {
    handle(Duration.ZERO);
    pod("p1", 1, "Failed", 3, DENIED);
    pod("p2", 2, "Running", null, null);
    jobStatus(new V1JobStatus().failed(1).active(1));

    var quiet = handle(Duration.ofMinutes(3));
    assertThat(quiet.reason()).as("no warning shown: nothing to write").isEqualTo("CreatingMoverJob");

    shows(MoverJobHandler.ATTEMPT_FAILED);
    var t = handle(Duration.ofMinutes(3));

    assertThat(t.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(t.reason()).isEqualTo("MoverRunning");
    assertThat(t.eventType()).isEqualTo(EventType.NORMAL);
    assertThat(t.message())
        .isEqualTo("Mover Job backup-mover running, attempt 2 of 3; previous attempt failed: the remote cannot be reached (connection refused): check BUCKET_HOST (exit code 3)");
    assertThat(status(t).attempts()).isEqualTo(2);
  }

  @Test
  void aFailedAttemptWaitingForTheNextOneIsAWarning() {
    handle(Duration.ZERO);
    pod("p1", 1, "Failed", 3, DENIED);
    jobStatus(new V1JobStatus().failed(1).active(0));

    var t = handle(Duration.ofMinutes(2));

    assertThat(t.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(t.reason()).isEqualTo(MoverJobHandler.ATTEMPT_FAILED);
    assertThat(t.eventType()).isEqualTo(EventType.WARNING);
    assertThat(t.message())
        .isEqualTo("Mover attempt 1 of 3 failed, the next one starts after a back-off: the remote cannot be reached (connection refused): check BUCKET_HOST (exit code 3)");
    assertThat(status(t).attempts()).isEqualTo(1);
  }

  @Test
  void aPodTheSchedulerCannotPlaceForLongIsAWarningWithItsMessage() {
    handle(Duration.ZERO);
    jobStatus(new V1JobStatus().active(1));
    cluster.add(new V1Pod()
        .metadata(new V1ObjectMeta().name("p1").namespace(NS).creationTimestamp(CREATED).labels(Map.of("batch.kubernetes.io/job-name", "backup-mover")))
        .status(new V1PodStatus().phase("Pending").conditions(List.of(new V1PodCondition()
            .type("PodScheduled").status("False").reason("Unschedulable").message("0/3 nodes are available: 3 Insufficient memory.")))));
    String warning = "The mover pod of Job backup-mover cannot be scheduled, attempt 1 of 3: 0/3 nodes are available: 3 Insufficient memory.";

    var waitingForTheClone = handle(Duration.ofSeconds(20));
    assertThat(waitingForTheClone.reason()).as("expected while the clone binds: nothing to write").isEqualTo("CreatingMoverJob");
    cluster.pvcs.get(NS + "/backup-clone").status(new V1PersistentVolumeClaimStatus().phase("Bound"));
    var staleCondition = handle(Duration.ofSeconds(25));
    assertThat(staleCondition.reason()).as("the scheduler's condition lags behind the binding").isEqualTo("CreatingMoverJob");
    assertThat(staleCondition.requeueAfter()).as("looked at again when it becomes a warning").contains(Duration.ofMinutes(15).minusSeconds(25));

    var late = handle(Duration.ofMinutes(15));
    assertThat(late.reason()).isEqualTo("MoverPodUnschedulable");
    assertThat(late.eventType()).isEqualTo(EventType.WARNING);
    assertThat(late.message()).isEqualTo(warning);
  }

  @Test
  void theLastFailedAttemptIsFinalAsSoonAsTheJobControllerMarksItsFailureTarget() {
    handle(Duration.ZERO);
    pod("p1", 1, "Failed", 3, DENIED);
    pod("p2", 2, "Failed", 3, DENIED);
    pod("p3", 3, "Failed", 3, DENIED);
    // The Job controller writes FailureTarget first and Failed once the last pod is accounted for.
    jobStatus(new V1JobStatus().failed(3).active(0)
        .conditions(List.of(new V1JobCondition().type("FailureTarget").status("True").reason("BackoffLimitExceeded").lastTransitionTime(CREATED.plusMinutes(3)))));

    var t = handle(Duration.ofMinutes(3));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("BackoffLimitExceeded");
    assertThat(t.message()).doesNotContain("the next one starts");
  }

  @Test
  void successAfterAFailureCompletesWithTheMoversResult() {
    handle(Duration.ZERO);
    pod("p1", 1, "Failed", 3, DENIED);
    pod("p2", 2, "Succeeded", 0, SUCCESS);
    jobStatus(new V1JobStatus().failed(1).succeeded(1).conditions(List.of(new V1JobCondition().type("Complete").status("True"))));

    var t = handle(Duration.ofMinutes(3));

    assertThat(t.next()).isEqualTo(Phase.COMPLETED);
    assertThat(t.message()).isEqualTo("Backup written to s3:bucket/2026-01-02-030405 (12 files, 4096 bytes) after 2 attempts");
    DataMoverStatus s = status(t);
    assertThat(s.attempts()).isEqualTo(2);
    assertThat(s.destination()).isEqualTo("s3:bucket/2026-01-02-030405");
    assertThat(s.filesTransferred()).isEqualTo(12);
    assertThat(s.bytesTransferred()).isEqualTo(4096);
    assertThat(s.pointInTime()).isEqualTo("2026-01-02-030405");
  }

  @Test
  void aFinishedJobWaitsBrieflyForItsPodsResultToReachTheCache() {
    handle(Duration.ZERO);
    jobStatus(
        new V1JobStatus()
            .succeeded(1)
            .conditions(List.of(new V1JobCondition().type("Complete").status("True").lastTransitionTime(CREATED.plusMinutes(2)))));

    var early = handle(Duration.ofMinutes(2).plusSeconds(5));
    assertThat(early.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(early.requeueAfter()).contains(Duration.ofSeconds(2));

    pod("p1", 1, "Succeeded", 0, SUCCESS);
    var withResult = handle(Duration.ofMinutes(2).plusSeconds(6));
    assertThat(withResult.next()).isEqualTo(Phase.COMPLETED);
    assertThat(status(withResult).filesTransferred()).isEqualTo(12);
  }

  @Test
  void aFinishedJobWhosePodNeverShowsUpCompletesWithoutTheResultAfterTheGrace() {
    handle(Duration.ZERO);
    jobStatus(
        new V1JobStatus()
            .succeeded(1)
            .conditions(List.of(new V1JobCondition().type("Complete").status("True").lastTransitionTime(CREATED.plusMinutes(2)))));

    var t = handle(Duration.ofMinutes(2).plusSeconds(30));

    assertThat(t.next()).isEqualTo(Phase.COMPLETED);
    assertThat(t.message()).isEqualTo("Backup written after 1 attempt");
  }

  @Test
  void successWithDeletePvcAfterBackupCleansUp() {
    dm = inPhase(dataMover("backup", new DataMoverSpec("web-data", "s3-credentials", null, true, null, null, null, null, null, null, null, null, null)), Phase.CREATING_POD, CREATED);
    handle(Duration.ZERO);
    pod("p1", 1, "Succeeded", 0, SUCCESS);
    jobStatus(new V1JobStatus().succeeded(1).conditions(List.of(new V1JobCondition().type("Complete").status("True"))));

    assertThat(handle(Duration.ofMinutes(2)).next()).isEqualTo(Phase.CLEANING_UP);
  }

  @Test
  void exhaustedAttemptsFailWithTheMoversMessage() {
    handle(Duration.ZERO);
    pod("p1", 1, "Failed", 3, DENIED);
    pod("p2", 2, "Failed", 3, DENIED);
    pod("p3", 3, "Failed", 3, "Error: last log line of a crash\n");
    jobStatus(
        new V1JobStatus()
            .failed(3)
            .conditions(List.of(new V1JobCondition().type("Failed").status("True").reason("BackoffLimitExceeded"))));

    var t = handle(Duration.ofMinutes(4));

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("BackoffLimitExceeded");
    assertThat(t.message())
        .isEqualTo("mover Job backup-mover failed after 3 attempts (BackoffLimitExceeded): Error: last log line of a crash (exit code 3)");
  }

  @Test
  void aCloneThatNeverBindsFailsAtTheDeadline() {
    handle(Duration.ZERO);
    pod("p1", 0, "Pending", null, null);
    jobStatus(new V1JobStatus().active(1));

    var early = handle(Duration.ofMinutes(14));
    assertThat(early.reason()).as("normal progress for now").isEqualTo("CreatingMoverJob");
    assertThat(early.requeueAfter()).as("looked at again when it becomes a warning").contains(Duration.ofMinutes(1));

    var slow = handle(Duration.ofMinutes(15));
    assertThat(slow.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(slow.reason()).isEqualTo("MoverWaitingForVolume");
    assertThat(slow.eventType()).isEqualTo(EventType.WARNING);
    assertThat(slow.message()).isEqualTo("Mover Job backup-mover waits for clone backup-clone, still not bound after 15m; check that the storage class"
        + " supports CSI volume cloning (kubectl describe pvc backup-clone); the run fails if it is not bound within 30m");
    assertThat(slow.requeueAfter()).contains(Duration.ofMinutes(15));

    var waiting = handle(Duration.ofMinutes(29));
    assertThat(waiting.next()).isEqualTo(Phase.CREATING_POD);
    assertThat(waiting.requeueAfter()).contains(Duration.ofMinutes(1));

    var t = handle(Duration.ofMinutes(30));
    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("ClonePVCNotBound");
    assertThat(t.message()).contains("clone backup-clone is still not bound after 30m").contains("kubectl describe pvc backup-clone");
  }

  @Test
  void aJobThatNeverEndsFailsAfterItsDeadlineAndGrace() {
    handle(Duration.ZERO);
    pod("p1", 0, "Running", null, null);
    jobStatus(new V1JobStatus().active(1));

    assertThat(handle(Duration.ofHours(6)).next()).isEqualTo(Phase.CREATING_POD);
    var t = handle(Duration.ofHours(6).plusMinutes(10));
    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("MoverTimedOut");
  }

  @Test
  void aForeignJobIsNotAdopted() {
    cluster.add(new V1Job().metadata(new V1ObjectMeta().name("backup-mover").namespace(NS)));

    var t = handle(Duration.ZERO);

    assertThat(t.next()).isEqualTo(Phase.FAILED);
    assertThat(t.reason()).isEqualTo("MoverJobConflict");
  }

  private static DataMoverStatus status(Transition<DataMoverStatus.Builder> t) {
    return t.changes().apply(new DataMoverStatus.Builder()).build();
  }
}

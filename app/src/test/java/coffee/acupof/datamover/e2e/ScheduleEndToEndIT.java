package coffee.acupof.datamover.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.it.Given;
import coffee.acupof.datamover.it.Schedules;
import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.testkit.storage.LocalProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DataMoverSchedules end to end: the operator jar under exactly the shipped RBAC (it creates and
 * deletes the runs, writes the schedule's status, starts retention Jobs), the mover with real rclone
 * and a real S3 server, and restores from the schedule's status (path and latest point).
 */
class ScheduleEndToEndIT {
  private static EndToEnd e2e;
  private static OperatorProcess operator;

  @BeforeAll
  static void start() throws Exception {
    e2e = new EndToEnd("e2e-schedule");
    e2e.s3.createBucket("backups");
    Given.secret(e2e.namespace, "s3", e2e.s3Secret("backups"));
    for (String pvc : List.of("shop-data", "kept-data")) {
      Trees.writeSample(e2e.volume(pvc), pvc);
      Given.boundPvc(e2e.namespace, pvc, "csi-clone-capable");
    }
    operator = e2e.startOperator();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (e2e != null) {
      e2e.close();
    }
  }

  /** Changes manualTrigger and waits until that run has completed and the status shows it. */
  private static DataMoverScheduleStatus runNow(String schedule, String trigger) {
    String ns = e2e.namespace;
    Schedules.patchSpec(ns, schedule, "{\"manualTrigger\":\"" + trigger + "\"}");
    long generation = Schedules.get(ns, schedule).getMetadata().getGeneration();
    String run = schedule + "-manual-" + generation;
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      DataMoverScheduleStatus s = Schedules.get(ns, schedule).getStatus();
      assertThat(s.lastRun() == null || !"Failed".equals(s.lastRun().result()))
          .as("run %s failed: %s\n%s", run, s.lastRun() == null ? "" : s.lastRun().message(), operator.logTail()).isTrue();
      return s.lastRun() != null && run.equals(s.lastRun().name()) && "Succeeded".equals(s.lastRun().result());
    });
    return Schedules.get(ns, schedule).getStatus();
  }

  @Test
  void manualRunsUnderTheShippedRbacKeepEveryBackupAndTheLatestRestoresByteIdentical() throws Exception {
    String ns = e2e.namespace;
    Schedules.apply(ns, "shop", "0 0 1 1 *", "shop-data", "s3", "addTimestampPrefix: true\nsuccessfulJobsHistoryLimit: 1");

    DataMoverScheduleStatus first = runNow("shop", "first");
    DataMoverScheduleStatus second = runNow("shop", "second");
    await().atMost(Duration.ofSeconds(30)).until(() -> Schedules.runs(ns, "shop").size() == 1);

    assertThat(second.path()).isEqualTo(ns + "/shop-data");
    assertThat(second.latestPointInTime()).isNotEqualTo(first.latestPointInTime());
    // The history limit deleted the first run, never its backup.
    List<String> objects = e2e.s3.listObjects("backups", ns + "/shop-data/");
    for (String point : List.of(first.latestPointInTime(), second.latestPointInTime())) {
      assertThat(objects).contains(ns + "/shop-data/" + point + "/.datamover/manifest.json");
    }

    Path restored = e2e.restore(e2e.s3Secret("backups"),
        Map.of("ADD_TIMESTAMP_PREFIX", "true", "MOVER_PATH", second.path(), "MOVER_RESTORE_POINT", second.latestPointInTime()));
    assertThat(Trees.fingerprint(restored)).isEqualTo(Trees.fingerprint(e2e.volume("shop-data")));
  }

  @Test
  void keepLastTwoRunFiveTimesLeavesExactlyTheTwoNewestCompletePointsAndTheLatestRestoresFromTheSchedule() throws Exception {
    String ns = e2e.namespace;
    Schedules.apply(ns, "kept", "0 0 1 1 *", "kept-data", "s3", "addTimestampPrefix: true\nretention:\n  keepLast: 2");

    TreeSet<String> points = new TreeSet<>();
    DataMoverScheduleStatus status = null;
    for (int i = 1; i <= 5; i++) {
      status = runNow("kept", "run-" + i);
      points.add(status.latestPointInTime());
      String latest = status.latestPointInTime();
      await().atMost(Duration.ofMinutes(2)).until(() -> {
        var r = Schedules.get(ns, "kept").getStatus().retention();
        return r != null && latest.equals(r.prunedThrough()) && "Succeeded".equals(r.lastResult());
      });
    }
    assertThat(points).hasSize(5);
    List<String> twoNewest = List.of(points.last(), points.lower(points.last()));

    TreeSet<String> complete = new TreeSet<>();
    TreeSet<String> folders = new TreeSet<>();
    for (String key : e2e.s3.listObjects("backups", ns + "/kept-data/")) {
      String rest = key.substring((ns + "/kept-data/").length());
      if (rest.matches("\\d{4}-\\d{2}-\\d{2}-\\d{6}/.+")) {
        folders.add(rest.substring(0, 17));
        if (rest.endsWith("/.datamover/manifest.json")) {
          complete.add(rest.substring(0, 17));
        }
      }
    }
    assertThat(complete).containsExactlyInAnyOrderElementsOf(twoNewest);
    assertThat(folders).containsExactlyInAnyOrderElementsOf(twoNewest);
    DataMoverScheduleStatus done = Schedules.get(ns, "kept").getStatus();
    assertThat(done.retention().retained()).containsExactlyElementsOf(twoNewest);

    // A restore that names the schedule: its source, Secret and path, the newest complete point.
    LocalProvisioner.ensureStorageClass(TestCluster.admin(), "csi", "Immediate");
    Given.restore(ns, "restore-kept", """
        scheduleName: kept
        targetPvc: kept-restored
        targetPvcTemplate: {storageClassName: csi, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """);
    await().atMost(Duration.ofMinutes(3)).until(() -> TestCluster.restore(ns, "restore-kept").getStatus().phaseValue().isTerminal());
    DataMoverRestoreStatus restore = TestCluster.restore(ns, "restore-kept").getStatus();
    assertThat(restore.phase()).as(restore.message()).isEqualTo("Completed");
    assertThat(restore.pointInTime()).isEqualTo(points.last());
    String volume = TestCluster.core().readNamespacedPersistentVolumeClaim("kept-restored", ns).execute().getSpec().getVolumeName();
    Path restored = TestCluster.cluster().provisioner().directoryOf(volume).orElseThrow();
    assertThat(Trees.fingerprint(restored)).isEqualTo(Trees.fingerprint(e2e.volume("kept-data")));
  }
}

package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ClusterException;
import coffee.acupof.datamover.cluster.FakeCluster;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.DataMoverMetrics;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.phase.CleanupHandler;
import coffee.acupof.datamover.phase.ClonedPvcReadyHandler;
import coffee.acupof.datamover.phase.CreateClonedPvcHandler;
import coffee.acupof.datamover.phase.CreateSnapshotHandler;
import coffee.acupof.datamover.phase.MoverJobHandler;
import coffee.acupof.datamover.phase.PendingHandler;
import coffee.acupof.datamover.phase.Run;
import coffee.acupof.datamover.phase.ValidateHandler;
import coffee.acupof.datamover.runtime.ApiEventSink;
import coffee.acupof.datamover.runtime.EventRecorder;
import coffee.acupof.datamover.runtime.KindReconciler;
import coffee.acupof.datamover.runtime.StatusWriter;
import coffee.acupof.datamover.runtime.phase.PhaseMachine;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A status write computed from a stale read meets a newer object on the real API server: it is
 * refused with 409, the reconciler retries, and no Event or metric records the lost transition.
 * (The cluster view behind the handlers is in memory; the DataMover, its status and Events are real.)
 */
class StatusConflictIT {
  @Test
  void aConflictingStatusWriteIsRetriedAndRecordsNothing() {
    String ns = TestCluster.newNamespace("conflict");
    Given.kubectlApply(ns, """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata:
          name: contested
        spec:
          sourcePvc: data
          secretName: s3
        """);
    DataMover stale = TestCluster.get(ns, "contested");
    StatusWriter writer = new StatusWriter(TestCluster.admin());
    writer.write(DataMoverApi.DATAMOVERS, stale, new DataMoverStatus.Builder().phase(Phase.NEW).message("written by someone else").build());

    assertThatThrownBy(() -> writer.write(DataMoverApi.DATAMOVERS, stale, new DataMoverStatus.Builder().phase(Phase.FAILED).build()))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.statusCode()).isEqualTo(409));

    FakeCluster view = new FakeCluster();
    DataMoverProperties properties = new DataMoverProperties(null, null, null, null, null, null, null, null);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Cache<DataMover> cache = new Cache<>();
    cache.add(stale);
    MoverSlots slots = new MoverSlots(new MoverSlots.Limits(0, 0), List::of, java.time.Clock.systemUTC());
    PhaseMachine<DataMover, DataMoverStatus, DataMoverStatus.Builder, Run> machine =
        new PhaseMachine<>(
            Arrays.asList(Phase.values()),
            List.of(
                new ValidateHandler(view, view, properties, new PointAllocator(path -> List.of()), slots),
                new PendingHandler(slots, properties),
                new CreateClonedPvcHandler(view, view, view),
                new ClonedPvcReadyHandler(view, properties),
                new MoverJobHandler(view, view, properties),
                new CreateSnapshotHandler(view, view, properties),
                new CleanupHandler(view, view)),
            Phase::fromWireName,
            Run::new,
            new DataMoverMetrics(registry));
    KindReconciler<DataMover, DataMoverStatus> reconciler =
        new KindReconciler<>(
            DataMoverApi.DATAMOVERS,
            new Lister<>(cache),
            machine,
            writer,
            new EventRecorder(new ApiEventSink(TestCluster.admin()), "test", Clock.systemUTC()),
            Clock.systemUTC(),
            registry);

    Result result = reconciler.reconcile(new Request(ns, "contested"));

    assertThat(result.isRequeue()).isTrue();
    assertThat(TestCluster.get(ns, "contested").getStatus().message()).isEqualTo("written by someone else");
    assertThat(TestCluster.events(ns, "contested")).isEmpty();
    assertThat(registry.find("datamover.operations").counters()).isEmpty();

    cache.update(TestCluster.get(ns, "contested"));
    assertThat(reconciler.reconcile(new Request(ns, "contested")).isRequeue()).isTrue();
    assertThat(TestCluster.get(ns, "contested").getStatus().message()).startsWith("Waiting: source PVC data not found");
    assertThat(TestCluster.eventReasons(ns, "contested")).containsExactly("SourcePVCNotFound");
  }
}

package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.DataMoverMetrics;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PhasedSlotSource;
import coffee.acupof.datamover.mover.PointAllocator;
import coffee.acupof.datamover.phase.DataMoverPhaseHandler;
import coffee.acupof.datamover.phase.Run;
import coffee.acupof.datamover.runtime.EventRecorder;
import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.KindController;
import coffee.acupof.datamover.runtime.KindReconciler;
import coffee.acupof.datamover.runtime.QueueFeeder;
import coffee.acupof.datamover.runtime.StatusWriter;
import coffee.acupof.datamover.runtime.phase.PhaseMachine;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DataMover kind: its informer (indexed by the source PVC and the Secret it names), its work
 * queue, the phase machine over the {@link DataMoverPhaseHandler} beans, and its controller. A
 * DataMover is woken by changes of itself, of the PVCs, Jobs and pods it owns, and of the source PVC
 * and Secret it names.
 */
@Configuration(proxyBeanMethods = false)
public class DataMoverConfiguration {
  static final String INDEX_BY_SOURCE_PVC = "bySourcePvc";
  static final String INDEX_BY_SECRET = "bySecret";
  /** Timestamped DataMovers by the path they write to (see {@link PointAllocator}). */
  static final String INDEX_BY_LOCATION = "byLocation";
  /** Phases of a run that holds a mover slot until its Job ends. */
  private static final Set<String> HOLDING =
      Set.of(Phase.CREATING_CLONED_PVC.wireName(), Phase.CLONED_PVC_READY.wireName(), Phase.CREATING_POD.wireName());

  @Bean
  SharedIndexInformer<DataMover> dataMoverInformer(Informers informers) {
    SharedIndexInformer<DataMover> informer = informers.informer(DataMoverApi.DATAMOVERS);
    informer.addIndexers(
        Map.of(
            INDEX_BY_SOURCE_PVC, dm -> dm.getSpec() == null ? List.of() : List.of(dm.namespace() + "/" + dm.getSpec().sourcePvc()),
            INDEX_BY_SECRET, dm -> dm.getSpec() == null ? List.of() : dm.getSpec().secretKeys(dm.namespace()),
            INDEX_BY_LOCATION, dm -> dm.getSpec() == null || !dm.getSpec().timestampPrefix() ? List.of() : List.of(dm.getSpec().effectivePath())));
    return informer;
  }

  /**
   * DataMovers as the mover-slot cap sees them: a run holds a slot from the grant (phase
   * CreatingClonedPVC) until its Job has finished; a run in Pending waits, since it entered Pending.
   */
  @Bean
  PhasedSlotSource<DataMover> dataMoverSlots(SharedIndexInformer<DataMover> dataMoverInformer, SharedIndexInformer<V1Job> jobInformer) {
    return new PhasedSlotSource<>(
        DataMoverApi.KIND, dataMoverInformer, HOLDING, Phase.PENDING.wireName(), dm -> ChildNames.moverJob(dm.name()), jobInformer);
  }

  @Bean
  PointAllocator pointAllocator(SharedIndexInformer<DataMover> dataMoverInformer) {
    return new PointAllocator(path -> dataMoverInformer.getIndexer().byIndex(INDEX_BY_LOCATION, path));
  }

  @Bean
  DataMoverMetrics dataMoverMetrics(MeterRegistry registry) {
    return new DataMoverMetrics(registry);
  }

  @Bean
  RateLimitingQueue<Request> dataMoverQueue(DataMoverProperties properties, MeterRegistry registry) {
    DataMoverProperties.Queue queue = properties.queue();
    return KindController.queue(DataMoverApi.KIND, queue.baseDelay(), queue.maxDelay(), queue.qps(), registry);
  }

  @Bean
  KindReconciler<DataMover, DataMoverStatus> dataMoverReconciler(
      SharedIndexInformer<DataMover> dataMoverInformer,
      List<DataMoverPhaseHandler> handlers,
      DataMoverMetrics metrics,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock,
      MeterRegistry registry) {
    PhaseMachine<DataMover, DataMoverStatus, DataMoverStatus.Builder, Run> machine =
        new PhaseMachine<>(Arrays.asList(Phase.values()), handlers, Phase::fromWireName, Run::new, metrics);
    return new KindReconciler<>(
        DataMoverApi.DATAMOVERS, new Lister<>(dataMoverInformer.getIndexer()), machine, statusWriter, events, clock, registry);
  }

  /** The controller: informer events feed the queue, N workers run the reconciler. */
  @Bean
  KindController dataMoverController(
      DataMoverProperties properties,
      RateLimitingQueue<Request> dataMoverQueue,
      KindReconciler<DataMover, DataMoverStatus> dataMoverReconciler,
      SharedIndexInformer<DataMover> dataMoverInformer,
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer,
      PhasedSlotSource<DataMover> dataMoverSlots,
      MoverSlots slots) {
    QueueFeeder feeder = new QueueFeeder(DataMoverApi.DATAMOVERS, Ownership.ownerLabel(DataMoverApi.DATAMOVERS), dataMoverQueue);
    feeder.watchSelf(dataMoverInformer);
    feeder.watchReferenced(pvcInformer, dataMoverInformer, INDEX_BY_SOURCE_PVC);
    feeder.watchReferenced(secretInformer, dataMoverInformer, INDEX_BY_SECRET);
    feeder.watchOwned(jobInformer);
    feeder.watchOwned(podInformer);
    // A slot that frees (a mover Job of any kind ended) wakes the runs waiting in Pending.
    dataMoverSlots.onSlotFreed(jobInformer, slots::freed);
    slots.whenFreed(() -> dataMoverSlots.forEachWaiting(dm -> dataMoverQueue.add(new Request(dm.namespace(), dm.name()))));
    return KindController.of(
        "datamover",
        dataMoverQueue,
        dataMoverReconciler,
        properties.workers(),
        List.of(dataMoverInformer, pvcInformer, secretInformer, jobInformer, podInformer));
  }
}

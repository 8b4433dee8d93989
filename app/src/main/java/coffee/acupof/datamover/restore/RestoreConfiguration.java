package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.cluster.InformerClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PhasedSlotSource;
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
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
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
 * The DataMoverRestore kind: its informer (indexed by the target PVC and the Secret it names), its
 * work queue, the phase machine over the {@link RestorePhaseHandler} beans, its controller, and its
 * registration as a volume populator. A restore is woken by changes of itself, of the PVCs, Jobs and
 * pods it owns, of its target PVC, Secret and schedule, of a PVC that names it as data source, and
 * of the volume it hands over.
 */
@Configuration(proxyBeanMethods = false)
public class RestoreConfiguration {
  static final String INDEX_BY_TARGET_PVC = "byTargetPvc";
  static final String INDEX_BY_SECRET = "bySecret";
  static final String INDEX_BY_SCHEDULE = "bySchedule";

  @Bean
  SharedIndexInformer<DataMoverRestore> restoreInformer(Informers informers) {
    SharedIndexInformer<DataMoverRestore> informer = informers.informer(DataMoverApi.RESTORES);
    informer.addIndexers(
        Map.of(
            INDEX_BY_TARGET_PVC,
            r -> r.getSpec() == null || r.getSpec().isPopulator() ? List.of() : List.of(r.namespace() + "/" + r.getSpec().targetPvc()),
            INDEX_BY_SECRET,
            r -> r.getSpec() == null ? List.of() : r.getSpec().secretKeys(r.namespace()),
            INDEX_BY_SCHEDULE,
            r -> r.getSpec() == null || r.getSpec().scheduleName() == null ? List.of() : List.of(r.namespace() + "/" + r.getSpec().scheduleName())));
    return informer;
  }

  /**
   * Restores as the mover-slot cap sees them: a restore holds a slot from the grant (phase
   * PreparingTarget) until its Job has finished; one in Pending waits.
   */
  @Bean
  PhasedSlotSource<DataMoverRestore> restoreSlots(SharedIndexInformer<DataMoverRestore> restoreInformer, SharedIndexInformer<V1Job> jobInformer) {
    return new PhasedSlotSource<>(
        DataMoverApi.RESTORE_KIND,
        restoreInformer,
        Set.of(RestorePhase.PREPARING_TARGET.wireName(), RestorePhase.RESTORING.wireName()),
        RestorePhase.PENDING.wireName(),
        r -> ChildNames.restoreJob(r.name()),
        jobInformer);
  }

  @Bean
  RestoreOrigins restoreOrigins(SharedIndexInformer<DataMoverSchedule> scheduleInformer) {
    return new RestoreOrigins(new Lister<>(scheduleInformer.getIndexer()));
  }

  @Bean
  RestoreMetrics restoreMetrics(MeterRegistry registry) {
    return new RestoreMetrics(registry);
  }

  @Bean
  RateLimitingQueue<Request> restoreQueue(DataMoverProperties properties, MeterRegistry registry) {
    DataMoverProperties.Queue queue = properties.queue();
    return KindController.queue(DataMoverApi.RESTORE_KIND, queue.baseDelay(), queue.maxDelay(), queue.qps(), registry);
  }

  @Bean
  KindReconciler<DataMoverRestore, DataMoverRestoreStatus> restoreReconciler(
      SharedIndexInformer<DataMoverRestore> restoreInformer,
      List<RestorePhaseHandler> handlers,
      RestoreMetrics metrics,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock,
      MeterRegistry registry) {
    PhaseMachine<DataMoverRestore, DataMoverRestoreStatus, DataMoverRestoreStatus.Builder, RestoreRun> machine =
        new PhaseMachine<>(Arrays.asList(RestorePhase.values()), handlers, RestorePhase::fromWireName, RestoreRun::new, metrics);
    return new KindReconciler<>(
        DataMoverApi.RESTORES, new Lister<>(restoreInformer.getIndexer()), machine, statusWriter, events, clock, registry);
  }

  @Bean
  KindController restoreController(
      DataMoverProperties properties,
      RateLimitingQueue<Request> restoreQueue,
      KindReconciler<DataMoverRestore, DataMoverRestoreStatus> restoreReconciler,
      SharedIndexInformer<DataMoverRestore> restoreInformer,
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1PersistentVolume> pvInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer,
      SharedIndexInformer<DataMoverSchedule> scheduleInformer,
      PhasedSlotSource<DataMoverRestore> restoreSlots,
      MoverSlots slots) {
    QueueFeeder feeder = new QueueFeeder(DataMoverApi.RESTORES, Ownership.ownerLabel(DataMoverApi.RESTORES), restoreQueue);
    feeder.watchSelf(restoreInformer);
    feeder.watchReferenced(pvcInformer, restoreInformer, INDEX_BY_TARGET_PVC);
    feeder.watch(pvcInformer, RestoreConfiguration::populated);
    feeder.watch(pvInformer, RestoreConfiguration::handedOver);
    feeder.watchReferenced(secretInformer, restoreInformer, INDEX_BY_SECRET);
    feeder.watchReferenced(scheduleInformer, restoreInformer, INDEX_BY_SCHEDULE);
    feeder.watchOwned(jobInformer);
    feeder.watchOwned(podInformer);
    restoreSlots.onSlotFreed(jobInformer, slots::freed);
    slots.whenFreed(() -> restoreSlots.forEachWaiting(r -> restoreQueue.add(new Request(r.namespace(), r.name()))));
    return KindController.of(
        "datamoverrestore",
        restoreQueue,
        restoreReconciler,
        properties.workers(),
        List.of(restoreInformer, pvcInformer, pvInformer, secretInformer, jobInformer, podInformer, scheduleInformer));
  }

  @Bean
  VolumePopulatorRegistration volumePopulatorRegistration(ApiClient apiClient) {
    return new VolumePopulatorRegistration(apiClient);
  }

  /** A PVC whose dataSourceRef names a restore wakes that restore. */
  private static List<Request> populated(V1PersistentVolumeClaim pvc) {
    return InformerClusterView.dataSourceRefKey(pvc).stream()
        .map(key -> key.split("/", 3))
        .filter(parts -> DataMoverApi.RESTORE_KIND.equals(parts[1]))
        .map(parts -> new Request(parts[0], parts[2]))
        .toList();
  }

  /** A volume being handed over carries the restore's key. */
  private static List<Request> handedOver(V1PersistentVolume pv) {
    var annotations = pv.getMetadata().getAnnotations();
    String key = annotations == null ? null : annotations.get(BindVolumeHandler.RESTORE_ANNOTATION);
    if (key == null || !key.contains("/")) {
      return List.of();
    }
    String[] parts = key.split("/", 2);
    return List.of(new Request(parts[0], parts[1]));
  }
}

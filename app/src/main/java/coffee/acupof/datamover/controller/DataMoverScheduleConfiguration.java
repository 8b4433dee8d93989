package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.Ownership;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.ScheduleMetrics;
import coffee.acupof.datamover.mover.MoverJobState;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.mover.PruneJobBuilder;
import coffee.acupof.datamover.runtime.EventRecorder;
import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.KindController;
import coffee.acupof.datamover.runtime.KindReconciler;
import coffee.acupof.datamover.runtime.QueueFeeder;
import coffee.acupof.datamover.runtime.StatusWriter;
import coffee.acupof.datamover.schedule.ScheduleLogic;
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
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DataMoverSchedule kind: its informer (indexed by the Secret and source PVC it names), indexes of
 * the runs and retention Jobs it owns, its queue, the level-based {@link ScheduleLogic} under the core
 * reconciler, and its controller. A schedule is woken by changes of itself, of its runs (DataMovers)
 * and retention Jobs, of the Secret and PVC it names, and by its own requeue at the next tick.
 */
@Configuration(proxyBeanMethods = false)
public class DataMoverScheduleConfiguration {
  static final String INDEX_BY_SECRET = "bySecret";
  static final String INDEX_BY_SOURCE_PVC = "bySourcePvc";
  /** DataMovers and Jobs by the schedule that owns them ({@code namespace/name} from the owner label). */
  static final String INDEX_BY_SCHEDULE = "bySchedule";
  private static final String OWNER_LABEL = Ownership.ownerLabel(DataMoverApi.SCHEDULES);

  @Bean
  SharedIndexInformer<DataMoverSchedule> scheduleInformer(
      Informers informers, SharedIndexInformer<DataMover> dataMoverInformer, SharedIndexInformer<V1Job> jobInformer) {
    SharedIndexInformer<DataMoverSchedule> informer = informers.informer(DataMoverApi.SCHEDULES);
    informer.addIndexers(
        Map.of(
            INDEX_BY_SECRET, s -> s.getSpec() == null ? List.of() : s.getSpec().secretKeys(s.namespace()),
            INDEX_BY_SOURCE_PVC, s -> s.getSpec() == null ? List.of() : List.of(s.namespace() + "/" + s.getSpec().sourcePvc())));
    dataMoverInformer.addIndexers(Map.of(INDEX_BY_SCHEDULE, DataMoverScheduleConfiguration::ownerKey));
    jobInformer.addIndexers(Map.of(INDEX_BY_SCHEDULE, DataMoverScheduleConfiguration::ownerKey));
    return informer;
  }

  private static List<String> ownerKey(io.kubernetes.client.common.KubernetesObject object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String owner = labels == null ? null : labels.get(OWNER_LABEL);
    return owner == null ? List.of() : List.of(object.getMetadata().getNamespace() + "/" + owner);
  }

  @Bean
  ScheduleMetrics scheduleMetrics(MeterRegistry registry) {
    return new ScheduleMetrics(registry);
  }

  /** Running retention Jobs hold mover slots too. */
  @Bean
  MoverSlots.Source pruneJobSlots(SharedIndexInformer<V1Job> jobInformer) {
    return new MoverSlots.Source() {
      @Override
      public List<MoverSlots.Claim> holding() {
        return jobInformer.getIndexer().list().stream()
            .filter(j -> j.getMetadata().getLabels() != null
                && PruneJobBuilder.COMPONENT.equals(j.getMetadata().getLabels().get(DataMoverApi.LABEL_COMPONENT)))
            .filter(j -> !MoverJobState.finished(j))
            .map(j -> new MoverSlots.Claim(DataMoverApi.SCHEDULE_KIND, j.getMetadata().getNamespace(), j.getMetadata().getLabels().get(OWNER_LABEL),
                j.getMetadata().getCreationTimestamp()))
            .toList();
      }

      @Override
      public List<MoverSlots.Claim> waiting() {
        return List.of();
      }
    };
  }

  @Bean
  RateLimitingQueue<Request> scheduleQueue(DataMoverProperties properties, MeterRegistry registry) {
    DataMoverProperties.Queue queue = properties.queue();
    return KindController.queue(DataMoverApi.SCHEDULE_KIND, queue.baseDelay(), queue.maxDelay(), queue.qps(), registry);
  }

  @Bean
  KindReconciler<DataMoverSchedule, DataMoverScheduleStatus> scheduleReconciler(
      SharedIndexInformer<DataMoverSchedule> scheduleInformer,
      SharedIndexInformer<DataMover> dataMoverInformer,
      SharedIndexInformer<V1Job> jobInformer,
      ClusterView cluster,
      ClusterOperations operations,
      MoverSlots slots,
      DataMoverProperties properties,
      ScheduleMetrics metrics,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock,
      MeterRegistry registry) {
    ScheduleLogic logic =
        new ScheduleLogic(
            cluster,
            operations,
            s -> dataMoverInformer.getIndexer().byIndex(INDEX_BY_SCHEDULE, s.key()),
            s -> jobInformer.getIndexer().byIndex(INDEX_BY_SCHEDULE, s.key()).stream()
                .filter(j -> PruneJobBuilder.COMPONENT.equals(j.getMetadata().getLabels().get(DataMoverApi.LABEL_COMPONENT)))
                .filter(j -> Ownership.isOwnedBy(j.getMetadata(), s))
                .toList(),
            s -> dataMoverInformer.getIndexer().byIndex(DataMoverConfiguration.INDEX_BY_SOURCE_PVC, s.namespace() + "/" + s.getSpec().sourcePvc())
                .stream()
                .anyMatch(dm -> !dm.getStatus().phaseValue().isTerminal()),
            slots,
            properties,
            metrics);
    return new KindReconciler<>(
        DataMoverApi.SCHEDULES, new Lister<>(scheduleInformer.getIndexer()), logic, statusWriter, events, clock, registry);
  }

  /** The controller: informer events feed the queue, N workers run the reconciler. */
  @Bean
  KindController scheduleController(
      DataMoverProperties properties,
      RateLimitingQueue<Request> scheduleQueue,
      KindReconciler<DataMoverSchedule, DataMoverScheduleStatus> scheduleReconciler,
      SharedIndexInformer<DataMoverSchedule> scheduleInformer,
      SharedIndexInformer<DataMover> dataMoverInformer,
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer) {
    QueueFeeder feeder = new QueueFeeder(DataMoverApi.SCHEDULES, OWNER_LABEL, scheduleQueue);
    feeder.watchSelf(scheduleInformer);
    feeder.watchOwned(dataMoverInformer);
    feeder.watchOwned(jobInformer);
    feeder.watchOwned(podInformer);
    feeder.watchReferenced(secretInformer, scheduleInformer, INDEX_BY_SECRET);
    feeder.watchReferenced(pvcInformer, scheduleInformer, INDEX_BY_SOURCE_PVC);
    return KindController.of(
        "datamoverschedule",
        scheduleQueue,
        scheduleReconciler,
        properties.workers(),
        List.of(scheduleInformer, dataMoverInformer, pvcInformer, secretInformer, jobInformer, podInformer));
  }
}

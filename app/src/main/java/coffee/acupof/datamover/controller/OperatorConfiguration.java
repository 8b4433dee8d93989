package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverList;
import coffee.acupof.datamover.cluster.ApiClusterOperations;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.InformerClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.metrics.DataMoverMetrics;
import coffee.acupof.datamover.phase.PhaseHandler;
import io.kubernetes.client.extended.controller.DefaultController;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.extended.workqueue.ratelimiter.BucketRateLimiter;
import io.kubernetes.client.extended.workqueue.ratelimiter.ItemExponentialFailureRateLimiter;
import io.kubernetes.client.extended.workqueue.ratelimiter.MaxOfRateLimiter;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretList;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.Namespaces;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Every moving part of the operator, wired by hand in one place: the API clients, the informers
 * (DataMover, PVC, Secret, Job, Pod), the work queue and its rate limiter, the reconciler and the
 * controller. Leader election and start/stop live in {@link OperatorLifecycle}.
 *
 * <p>The deprecated annotations of client-java-spring-integration are not used: its auto-configured
 * informer factory ignores this ApiClient bean (docs/architecture.md).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataMoverProperties.class)
public class OperatorConfiguration {
  /** Objects the operator creates carry this label; Job and Pod informers watch only those. */
  static final String MANAGED_SELECTOR = DataMoverApi.LABEL_MANAGED_BY + "=" + DataMoverApi.OPERATOR_NAME;

  /** Client for ordinary calls: a stuck request times out instead of blocking a worker forever. */
  @Bean
  @Primary
  ApiClient apiClient(DataMoverProperties properties) throws IOException {
    ApiClient client = newClient(properties);
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ofSeconds(30)).build());
    return client;
  }

  /** Client for informers: watches are long-lived, so no read timeout. */
  @Bean
  ApiClient watchApiClient(DataMoverProperties properties) throws IOException {
    ApiClient client = newClient(properties);
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    return client;
  }

  private static ApiClient newClient(DataMoverProperties properties) throws IOException {
    if (properties.kubeconfig().isBlank()) {
      return ClientBuilder.standard().build();
    }
    try (Reader reader = Files.newBufferedReader(Path.of(properties.kubeconfig()))) {
      return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
  }

  @Bean
  SharedInformerFactory informerFactory(@Qualifier("watchApiClient") ApiClient watchApiClient) {
    return new SharedInformerFactory(watchApiClient);
  }

  @Bean
  SharedIndexInformer<DataMover> dataMoverInformer(
      SharedInformerFactory factory, @Qualifier("watchApiClient") ApiClient watchApiClient, DataMoverProperties properties) {
    GenericKubernetesApi<DataMover, DataMoverList> api =
        new GenericKubernetesApi<>(
            DataMover.class, DataMoverList.class, DataMoverApi.GROUP, DataMoverApi.VERSION, DataMoverApi.PLURAL, watchApiClient);
    String namespace = properties.watchNamespace().isBlank() ? Namespaces.NAMESPACE_ALL : properties.watchNamespace();
    SharedIndexInformer<DataMover> informer = factory.sharedIndexInformerFor(api, DataMover.class, 0, namespace);
    informer.addIndexers(WorkQueueFeeder.indexers());
    return informer;
  }

  @Bean
  SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer(
      SharedInformerFactory factory, @Qualifier("watchApiClient") ApiClient watchApiClient, DataMoverProperties properties) {
    CoreV1Api core = new CoreV1Api(watchApiClient);
    String ns = properties.watchNamespace();
    return factory.sharedIndexInformerFor(
        ns.isBlank()
            ? params -> core.listPersistentVolumeClaimForAllNamespaces()
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null)
            : (CallGenerator) params -> core.listNamespacedPersistentVolumeClaim(ns)
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null),
        V1PersistentVolumeClaim.class,
        V1PersistentVolumeClaimList.class);
  }

  @Bean
  SharedIndexInformer<V1Secret> secretInformer(
      SharedInformerFactory factory, @Qualifier("watchApiClient") ApiClient watchApiClient, DataMoverProperties properties) {
    CoreV1Api core = new CoreV1Api(watchApiClient);
    String ns = properties.watchNamespace();
    return factory.sharedIndexInformerFor(
        ns.isBlank()
            ? params -> core.listSecretForAllNamespaces()
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null)
            : (CallGenerator) params -> core.listNamespacedSecret(ns)
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null),
        V1Secret.class,
        V1SecretList.class);
  }

  @Bean
  SharedIndexInformer<V1Job> jobInformer(
      SharedInformerFactory factory, @Qualifier("watchApiClient") ApiClient watchApiClient, DataMoverProperties properties) {
    BatchV1Api batch = new BatchV1Api(watchApiClient);
    String ns = properties.watchNamespace();
    return factory.sharedIndexInformerFor(
        ns.isBlank()
            ? params -> batch.listJobForAllNamespaces().labelSelector(MANAGED_SELECTOR)
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null)
            : (CallGenerator) params -> batch.listNamespacedJob(ns).labelSelector(MANAGED_SELECTOR)
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null),
        V1Job.class,
        V1JobList.class);
  }

  @Bean
  SharedIndexInformer<V1Pod> podInformer(
      SharedInformerFactory factory, @Qualifier("watchApiClient") ApiClient watchApiClient, DataMoverProperties properties) {
    CoreV1Api core = new CoreV1Api(watchApiClient);
    String ns = properties.watchNamespace();
    return factory.sharedIndexInformerFor(
        ns.isBlank()
            ? params -> core.listPodForAllNamespaces().labelSelector(MANAGED_SELECTOR)
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null)
            : (CallGenerator) params -> core.listNamespacedPod(ns).labelSelector(MANAGED_SELECTOR)
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null),
        V1Pod.class,
        V1PodList.class);
  }

  @Bean
  ClusterView clusterView(
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer) {
    return new InformerClusterView(pvcInformer, secretInformer, jobInformer, podInformer);
  }

  @Bean
  ClusterOperations clusterOperations(ApiClient apiClient) {
    return new ApiClusterOperations(new CoreV1Api(apiClient), new BatchV1Api(apiClient));
  }

  @Bean
  StatusWriter statusWriter(ApiClient apiClient) {
    return new StatusWriter(apiClient);
  }

  @Bean
  EventPublisher eventPublisher(ApiClient apiClient, OperatorIdentity identity) {
    return new EventPublisher(new CoreV1Api(apiClient), identity.name());
  }

  @Bean
  OperatorIdentity operatorIdentity() {
    return OperatorIdentity.detect();
  }

  @Bean
  DataMoverMetrics dataMoverMetrics(MeterRegistry registry) {
    return new DataMoverMetrics(registry);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The work queue: a failing item backs off exponentially (per item), and all retries together
   * are held to a token bucket. Replaces the client's default limiter (10 tokens a minute).
   */
  @Bean(destroyMethod = "shutDown")
  RateLimitingQueue<Request> workQueue(DataMoverProperties properties) {
    DataMoverProperties.Queue queue = properties.queue();
    return new DefaultRateLimitingQueue<>(
        Executors.newSingleThreadExecutor(),
        new MaxOfRateLimiter<>(
            new ItemExponentialFailureRateLimiter<>(queue.baseDelay(), queue.maxDelay()),
            new BucketRateLimiter<>(queue.qps() * 5L, queue.qps(), Duration.ofSeconds(1))));
  }

  @Bean
  DataMoverReconciler dataMoverReconciler(
      SharedIndexInformer<DataMover> dataMoverInformer,
      List<PhaseHandler> handlers,
      StatusWriter statusWriter,
      EventPublisher eventPublisher,
      DataMoverMetrics metrics,
      Clock clock) {
    return new DataMoverReconciler(
        new Lister<>(dataMoverInformer.getIndexer()), handlers, statusWriter, eventPublisher, metrics, clock);
  }

  /** The controller: informer events feed the queue, N workers run the reconciler. */
  @Bean
  DefaultController dataMoverController(
      DataMoverProperties properties,
      RateLimitingQueue<Request> workQueue,
      DataMoverReconciler reconciler,
      SharedIndexInformer<DataMover> dataMoverInformer,
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer) {
    WorkQueueFeeder.watchDataMovers(dataMoverInformer, workQueue);
    WorkQueueFeeder.watchReferenced(pvcInformer, dataMoverInformer, WorkQueueFeeder.INDEX_BY_SOURCE_PVC, workQueue);
    WorkQueueFeeder.watchReferenced(secretInformer, dataMoverInformer, WorkQueueFeeder.INDEX_BY_SECRET, workQueue);
    WorkQueueFeeder.watchOwned(jobInformer, workQueue);
    WorkQueueFeeder.watchOwned(podInformer, workQueue);
    DefaultController controller =
        new DefaultController(
            "datamover",
            reconciler,
            workQueue,
            dataMoverInformer::hasSynced,
            pvcInformer::hasSynced,
            secretInformer::hasSynced,
            jobInformer::hasSynced,
            podInformer::hasSynced);
    controller.setWorkerCount(properties.workers());
    controller.setWorkerThreadPool(Executors.newScheduledThreadPool(properties.workers()));
    return controller;
  }
}

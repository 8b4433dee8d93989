package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.cluster.ApiClusterOperations;
import coffee.acupof.datamover.cluster.ClusterOperations;
import coffee.acupof.datamover.cluster.ClusterView;
import coffee.acupof.datamover.cluster.InformerClusterView;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverSlots;
import coffee.acupof.datamover.runtime.ApiEventSink;
import coffee.acupof.datamover.runtime.CacheTrim;
import coffee.acupof.datamover.runtime.CoreKinds;
import coffee.acupof.datamover.runtime.EventRecorder;
import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.StatusWriter;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1StorageClass;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What every kind shares, wired by hand in one place: the API clients, the informer factory, the
 * informers of built-in types (PVC, Secret, Job, Pod), the cluster view and operations handlers use,
 * the status writer, the event recorder and the clock. Each kind adds its own informer, queue,
 * reconciler and controller in a {@code @Configuration} of its own (e.g.
 * {@link DataMoverConfiguration}); leader election and start/stop live in {@link OperatorLifecycle}.
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
  Informers informers(SharedInformerFactory factory, @Qualifier("watchApiClient") ApiClient watchApiClient, DataMoverProperties properties) {
    return new Informers(factory, watchApiClient, properties.watchNamespace());
  }

  /** PVCs, indexed by the object of this API group their dataSourceRef names (volume populators). */
  @Bean
  SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer(Informers informers) {
    SharedIndexInformer<V1PersistentVolumeClaim> informer = informers.informer(CoreKinds.PVCS);
    informer.addIndexers(Map.of(InformerClusterView.INDEX_BY_DATA_SOURCE_REF, InformerClusterView::dataSourceRefKey));
    return informer;
  }

  /** PersistentVolumes (cluster-scoped): a restore used as a volume populator hands its volume over. */
  @Bean
  SharedIndexInformer<V1PersistentVolume> pvInformer(Informers informers) {
    return informers.informer(CoreKinds.PVS);
  }

  /**
   * Secrets, with their values dropped before they are cached: the operator only checks which keys
   * a Secret has (the mover reads the values in its own pod). Annotations go too, since
   * {@code kubectl apply} keeps a full copy of the Secret, values included, in one of them.
   */
  /** StorageClasses (cluster-scoped): whether a PVC binds at once or waits for its first consumer. */
  @Bean
  SharedIndexInformer<V1StorageClass> storageClassInformer(Informers informers) {
    return informers.informer(CoreKinds.STORAGE_CLASSES);
  }

  @Bean
  SharedIndexInformer<V1Secret> secretInformer(Informers informers) {
    return informers.informer(CoreKinds.SECRETS, null, SecretKeysOnly::transform);
  }

  @Bean
  SharedIndexInformer<V1Job> jobInformer(Informers informers) {
    return informers.informer(CoreKinds.JOBS, MANAGED_SELECTOR, CacheTrim::job);
  }

  @Bean
  SharedIndexInformer<V1Pod> podInformer(Informers informers) {
    return informers.informer(CoreKinds.PODS, MANAGED_SELECTOR, CacheTrim::pod);
  }

  @Bean
  ClusterView clusterView(
      SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer,
      SharedIndexInformer<V1Secret> secretInformer,
      SharedIndexInformer<V1Job> jobInformer,
      SharedIndexInformer<V1Pod> podInformer,
      SharedIndexInformer<V1PersistentVolume> pvInformer,
      SharedIndexInformer<V1StorageClass> storageClassInformer,
      ApiClient apiClient) {
    return new InformerClusterView(
        pvcInformer, secretInformer, jobInformer, podInformer, pvInformer, storageClassInformer, new CoreV1Api(apiClient));
  }

  @Bean
  ClusterOperations clusterOperations(ApiClient apiClient) {
    return new ApiClusterOperations(
        new CoreV1Api(apiClient), new BatchV1Api(apiClient), DataMoverApi.DATAMOVERS.api(apiClient), DataMoverApi.RESTORES.api(apiClient));
  }

  /** The cap on running mover Jobs; each kind adds a {@link MoverSlots.Source} bean for its runs. */
  @Bean
  MoverSlots moverSlots(DataMoverProperties properties, ObjectProvider<MoverSlots.Source> sources, Clock clock) {
    DataMoverProperties.Mover mover = properties.mover();
    return new MoverSlots(
        new MoverSlots.Limits(mover.maxRunning(), mover.maxRunningPerNamespace()), () -> sources.orderedStream().toList(), clock);
  }

  @Bean
  StatusWriter statusWriter(ApiClient apiClient) {
    return new StatusWriter(apiClient);
  }

  @Bean
  EventRecorder eventRecorder(ApiClient apiClient, OperatorIdentity identity, Clock clock) {
    return new EventRecorder(new ApiEventSink(apiClient), identity.name(), clock);
  }

  @Bean
  OperatorIdentity operatorIdentity() {
    return OperatorIdentity.detect();
  }

  /** The operator's clock; integration tests register their own (a clock they move) before the context starts. */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock clock() {
    return Clock.systemUTC();
  }
}

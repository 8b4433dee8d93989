package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.OptionalInformer;
import coffee.acupof.datamover.volume.InformerSnapshots;
import coffee.acupof.datamover.volume.SnapshotKinds;
import coffee.acupof.datamover.volume.Snapshots;
import coffee.acupof.datamover.volume.VolumeSnapshot;
import coffee.acupof.datamover.volume.VolumeSnapshotClass;
import io.kubernetes.client.openapi.ApiClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * VolumeSnapshots (the external-snapshotter's CRDs, which a cluster may not have): their informers,
 * built and started only once the CRDs are established ({@link Informers#whenInstalled}), and the
 * {@link Snapshots} view handlers use. Each kind that takes snapshots adds its own event handlers
 * ({@link OptionalInformer#configure}) in its {@code @Configuration}.
 */
@Configuration(proxyBeanMethods = false)
public class SnapshotConfiguration {

  @Bean
  OptionalInformer<VolumeSnapshot> volumeSnapshotInformer(Informers informers) {
    return informers.whenInstalled(SnapshotKinds.SNAPSHOTS);
  }

  @Bean
  OptionalInformer<VolumeSnapshotClass> volumeSnapshotClassInformer(Informers informers) {
    return informers.whenInstalled(SnapshotKinds.CLASSES);
  }

  @Bean
  Snapshots snapshots(
      OptionalInformer<VolumeSnapshot> volumeSnapshotInformer, OptionalInformer<VolumeSnapshotClass> volumeSnapshotClassInformer, ApiClient apiClient) {
    return new InformerSnapshots(volumeSnapshotInformer, volumeSnapshotClassInformer, SnapshotKinds.SNAPSHOTS.api(apiClient));
  }
}

package coffee.acupof.datamover.volume;

import coffee.acupof.datamover.runtime.OptionalInformer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * VolumeSnapshots as handlers see and change them: reads from the caches of the optional snapshot
 * informers (the CRDs may be absent, see {@link #state()}), writes through the API. Creating one that
 * exists and deleting one that is gone are not errors; other failures throw
 * {@link coffee.acupof.datamover.cluster.ClusterException}.
 */
public interface Snapshots {
  /** The reason of a run that needs snapshots while the CRDs are absent. */
  String CRDS_MISSING_REASON = "SnapshotCRDsMissing";

  /** How soon a run looks again while the snapshot informers fill their caches. */
  Duration CACHE_RECHECK = Duration.ofSeconds(1);

  /** What a run that needs snapshots is told while the CRDs are absent. */
  String CRDS_MISSING = "the cluster has no VolumeSnapshot CRDs (snapshot.storage.k8s.io/v1): install the external-snapshotter's"
      + " CRDs and its snapshot-controller, and use a CSI driver that supports snapshots (docs/install.md), or choose copyMethod Clone or Direct";

  /** Whether VolumeSnapshots and their classes can be used: CRDs installed and both caches synced. */
  OptionalInformer.State state();

  Optional<VolumeSnapshot> snapshot(String namespace, String name);

  /** The VolumeSnapshots of a namespace that carry {@code label=value}. */
  List<VolumeSnapshot> labelled(String namespace, String label, String value);

  Optional<VolumeSnapshotClass> snapshotClass(String name);

  List<VolumeSnapshotClass> classes();

  /** Creates the snapshot; false when an object of that name already existed. */
  boolean create(VolumeSnapshot snapshot);

  /** Deletes the snapshot; false when it was already gone. */
  boolean delete(String namespace, String name);
}

package coffee.acupof.datamover.cluster;

import coffee.acupof.datamover.api.DataMover;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;

/**
 * The writes phase handlers and kind logic may make. Creating an object that already exists and deleting one that
 * is gone are not errors: handlers are idempotent. Other failures throw {@link ClusterException}.
 */
public interface ClusterOperations {
  /** Creates the PVC; returns false when an object of that name already existed. */
  boolean createPvc(V1PersistentVolumeClaim pvc);

  /** Creates the Job; returns false when an object of that name already existed. */
  boolean createJob(V1Job job);

  /** Deletes the PVC; returns false when it was already gone. */
  boolean deletePvc(String namespace, String name);

  /** Deletes the Job and, in the background, its pods; returns false when it was already gone. */
  boolean deleteJob(String namespace, String name);

  /** Applies a JSON merge patch to a PersistentVolume (reclaim policy, claim reference, annotations). */
  void patchPv(String name, String mergePatch);

  /** Creates the DataMover (a schedule's run); returns false when an object of that name already existed. */
  boolean createDataMover(DataMover dataMover);

  /** Deletes the DataMover and, in the background, what it owns; returns false when it was already gone. */
  boolean deleteDataMover(String namespace, String name);
}

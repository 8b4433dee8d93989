package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Informer transforms that keep out of the cache what the operator never reads, so memory grows with
 * the number of cached objects by what it needs of each (docs/architecture.md, "Principles"). Cached
 * objects are only read (every write is a patch or a create built from the operator's own objects),
 * so nothing dropped here can be written back over the API server's copy.
 *
 * <ul>
 *   <li>Every kind: {@code metadata.managedFields} (the field-ownership trees of server-side apply,
 *       often larger than the object) and kubectl's last-applied copy of the object in an annotation.
 *   <li>Jobs (the operator's own): the pod template; the operator follows a Job by its status, labels,
 *       annotations and owner.
 *   <li>Pods (of the operator's Jobs): the spec but for the node name; the operator reads their status
 *       (phase, conditions, the mover's termination message) and labels.
 * </ul>
 */
public final class CacheTrim {
  /** kubectl's copy of the applied object, values of a Secret included. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CacheTrim() {}

  /** {@code then} after the trim every kind gets ({@link #metadata}); {@code then} may be null. */
  public static TransformFunc andThen(TransformFunc then) {
    return then == null ? CacheTrim::metadata : object -> then.transform(metadata(object));
  }

  /** Drops the managed fields and kubectl's last-applied annotation. */
  public static KubernetesObject metadata(KubernetesObject object) {
    V1ObjectMeta meta = object.getMetadata();
    if (meta != null) {
      meta.setManagedFields(null);
      Map<String, String> annotations = meta.getAnnotations();
      if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
        Map<String, String> kept = new LinkedHashMap<>(annotations);
        kept.remove(LAST_APPLIED);
        meta.setAnnotations(kept.isEmpty() ? null : kept);
      }
    }
    return object;
  }

  /** A Job without its pod template. */
  public static KubernetesObject job(KubernetesObject object) {
    if (object instanceof V1Job job && job.getSpec() != null) {
      job.getSpec().setTemplate(null);
    }
    return object;
  }

  /** A Pod whose spec keeps only the node it runs on. */
  public static KubernetesObject pod(KubernetesObject object) {
    if (object instanceof V1Pod pod && pod.getSpec() != null) {
      pod.setSpec(new V1PodSpec().nodeName(pod.getSpec().getNodeName()));
    }
    return object;
  }
}

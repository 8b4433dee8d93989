package coffee.acupof.datamover.cluster;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.runtime.ResourceKind;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Owner references and labels that tie a child object to the object of one of the operator's kinds
 * that created it. Children carry {@code <group>/<kind in lower case>: <owner name>} (e.g.
 * {@code datamover.a-cup-of.coffee/datamover}), so grand-children such as a Job's pods can be mapped
 * back to their owner.
 */
public final class Ownership {
  private Ownership() {}

  /** The label that names the owner of a child of {@code kind}. */
  public static String ownerLabel(ResourceKind<?, ?> kind) {
    return DataMoverApi.GROUP + "/" + kind.kind().toLowerCase(Locale.ROOT);
  }

  /** Metadata of a child: its name, the owner's namespace, the controller owner reference and the labels. */
  public static V1ObjectMeta childMetadata(ResourceKind<?, ?> kind, KubernetesObject owner, String childName, String component) {
    return new V1ObjectMeta()
        .name(childName)
        .namespace(owner.getMetadata().getNamespace())
        .labels(labels(kind, owner, component))
        .ownerReferences(List.of(ownerReference(kind, owner)));
  }

  public static Map<String, String> labels(ResourceKind<?, ?> kind, KubernetesObject owner, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(DataMoverApi.LABEL_MANAGED_BY, DataMoverApi.OPERATOR_NAME);
    labels.put(DataMoverApi.LABEL_CREATED_BY, DataMoverApi.OPERATOR_NAME);
    labels.put(DataMoverApi.LABEL_COMPONENT, component);
    labels.put(ownerLabel(kind), owner.getMetadata().getName());
    return labels;
  }

  public static V1OwnerReference ownerReference(ResourceKind<?, ?> kind, KubernetesObject owner) {
    return new V1OwnerReference()
        .apiVersion(kind.apiVersion())
        .kind(kind.kind())
        .name(owner.getMetadata().getName())
        .uid(owner.getMetadata().getUid())
        .controller(true)
        .blockOwnerDeletion(true);
  }

  /** Whether the object's controller owner reference points at {@code owner} (by UID). */
  public static boolean isOwnedBy(V1ObjectMeta child, KubernetesObject owner) {
    if (child == null || child.getOwnerReferences() == null) {
      return false;
    }
    String uid = owner.getMetadata().getUid();
    return child.getOwnerReferences().stream()
        .anyMatch(ref -> Boolean.TRUE.equals(ref.getController()) && uid != null && uid.equals(ref.getUid()));
  }
}

package coffee.acupof.datamover.cluster;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Owner references and labels that tie a child object to its DataMover. */
public final class Ownership {
  private Ownership() {}

  /** Metadata of a child: its name, the owner's namespace, the owner reference and the labels. */
  public static V1ObjectMeta childMetadata(DataMover owner, String childName, String component) {
    return new V1ObjectMeta()
        .name(childName)
        .namespace(owner.namespace())
        .labels(labels(owner, component))
        .ownerReferences(List.of(ownerReference(owner)));
  }

  public static Map<String, String> labels(DataMover owner, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(DataMoverApi.LABEL_MANAGED_BY, DataMoverApi.OPERATOR_NAME);
    labels.put(DataMoverApi.LABEL_CREATED_BY, DataMoverApi.OPERATOR_NAME);
    labels.put(DataMoverApi.LABEL_COMPONENT, component);
    labels.put(DataMoverApi.LABEL_OWNER, owner.name());
    return labels;
  }

  public static V1OwnerReference ownerReference(DataMover owner) {
    return new V1OwnerReference()
        .apiVersion(DataMoverApi.API_VERSION)
        .kind(DataMoverApi.KIND)
        .name(owner.name())
        .uid(owner.getMetadata().getUid())
        .controller(true)
        .blockOwnerDeletion(true);
  }

  /** Whether the object's controller owner reference points at this DataMover (by UID). */
  public static boolean isOwnedBy(V1ObjectMeta child, DataMover owner) {
    if (child == null || child.getOwnerReferences() == null) {
      return false;
    }
    String uid = owner.getMetadata().getUid();
    return child.getOwnerReferences().stream()
        .anyMatch(ref -> Boolean.TRUE.equals(ref.getController()) && uid != null && uid.equals(ref.getUid()));
  }
}

package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesObject;

/**
 * An Event to record once the status write succeeded: on the reconciled object, or, when
 * {@code about} is set, on another object (e.g. the PVC a restore fills, so {@code kubectl describe pvc}
 * tells why it stays Pending).
 */
public record Notice(EventType type, String reason, String message, KubernetesObject about, ResourceKind<?, ?> aboutKind) {

  public Notice(EventType type, String reason, String message) {
    this(type, reason, message, null, null);
  }

  public static Notice normal(String reason, String message) {
    return new Notice(EventType.NORMAL, reason, message);
  }

  public static Notice warning(String reason, String message) {
    return new Notice(EventType.WARNING, reason, message);
  }

  /** The same Event, recorded on {@code object} instead. */
  public Notice on(KubernetesObject object, ResourceKind<?, ?> kind) {
    return new Notice(type, reason, message, object, kind);
  }
}

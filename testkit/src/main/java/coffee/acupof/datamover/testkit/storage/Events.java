package coffee.acupof.datamover.testkit.storage;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on the objects the played driver serves, as its real sidecars do, so a
 * test (or {@code kubectl describe}) sees why a volume or a snapshot is not there yet.
 */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final CoreV1Api core;
  private final String component;

  Events(CoreV1Api core, String component) {
    this.core = core;
    this.component = component;
  }

  /**
   * Records an Event of {@code type} ("Normal" or "Warning") on {@code object}; one of a
   * cluster-scoped object goes to namespace {@code default}, as kubectl looks for it there. A failure
   * is logged, not thrown: an Event is a report, not part of the work.
   */
  void record(V1ObjectReference object, String type, String reason, String message) {
    String namespace = object.getNamespace() == null ? "default" : object.getNamespace();
    OffsetDateTime now = OffsetDateTime.now();
    CoreV1Event event = new CoreV1Event()
        .metadata(new V1ObjectMeta().generateName(object.getName() + ".").namespace(namespace))
        .involvedObject(object)
        .type(type)
        .reason(reason)
        .message(message)
        .source(new V1EventSource().component(component))
        .firstTimestamp(now)
        .lastTimestamp(now)
        .count(1);
    try {
      core.createNamespacedEvent(namespace, event).execute();
    } catch (ApiException e) {
      LOG.warn("cannot record Event {} on {} {}: HTTP {}", reason, object.getKind(), object.getName(), e.getCode());
    }
  }
}

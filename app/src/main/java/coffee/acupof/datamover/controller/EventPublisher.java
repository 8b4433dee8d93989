package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.cluster.ApiErrors;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a DataMover ({@code kubectl describe datamover} and {@code kubectl
 * events} show them). An Event that cannot be written is logged and dropped: it never fails a run.
 */
public class EventPublisher {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

  private final CoreV1Api core;
  private final String instance;

  public EventPublisher(CoreV1Api core, String instance) {
    this.core = core;
    this.instance = instance;
  }

  public void publish(DataMover dataMover, String type, String reason, String message) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String name = dataMover.name() + "." + Long.toHexString(System.nanoTime()) + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
    CoreV1Event event =
        new CoreV1Event()
            .metadata(new V1ObjectMeta().name(name).namespace(dataMover.namespace()))
            .involvedObject(
                new V1ObjectReference()
                    .apiVersion(DataMoverApi.API_VERSION)
                    .kind(DataMoverApi.KIND)
                    .namespace(dataMover.namespace())
                    .name(dataMover.name())
                    .uid(dataMover.getMetadata().getUid())
                    .resourceVersion(dataMover.getMetadata().getResourceVersion()))
            .type(type)
            .reason(reason)
            .message(message.length() > 1024 ? message.substring(0, 1024) : message)
            .source(new V1EventSource().component(DataMoverApi.OPERATOR_NAME).host(instance))
            .reportingComponent(DataMoverApi.OPERATOR_NAME)
            .reportingInstance(instance)
            .firstTimestamp(now)
            .lastTimestamp(now)
            .count(1);
    try {
      core.createNamespacedEvent(dataMover.namespace(), event).execute();
    } catch (ApiException e) {
      log.warn("Could not record event {} on {}: {}", reason, dataMover.key(), ApiErrors.message(e));
    }
  }
}

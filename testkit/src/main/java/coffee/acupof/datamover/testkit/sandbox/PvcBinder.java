package coffee.acupof.datamover.testkit.sandbox;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.util.PatchUtils;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the PV controller for PVCs that users create: a Pending PVC without a {@code dataSource} is
 * marked Bound at once, with the requested size as its capacity (as a storage class with
 * {@code volumeBindingMode: Immediate} would). Clones (PVCs with a {@code dataSource}) are left to the
 * {@link coffee.acupof.datamover.testkit.LocalExecutor}, which binds a claim when a pod uses it, as
 * {@code WaitForFirstConsumer} would. The data of every PVC is the directory the executor gives it.
 */
final class PvcBinder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PvcBinder.class);

  private final ApiClient client;
  private final CoreV1Api core;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "pvc-binder");
    thread.setDaemon(true);
    return thread;
  });

  private PvcBinder(ApiClient client) {
    this.client = client;
    this.core = new CoreV1Api(client);
  }

  static PvcBinder start(ApiClient client) {
    PvcBinder binder = new PvcBinder(client);
    binder.poller.scheduleWithFixedDelay(binder::bindPending, 0, 300, TimeUnit.MILLISECONDS);
    return binder;
  }

  /** True when the PVC exists and is Bound. */
  boolean isBound(String namespace, String name) {
    try {
      V1PersistentVolumeClaim pvc = core.readNamespacedPersistentVolumeClaim(name, namespace).execute();
      return pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
    } catch (ApiException e) {
      return false;
    }
  }

  private void bindPending() {
    try {
      for (V1PersistentVolumeClaim pvc : core.listPersistentVolumeClaimForAllNamespaces().execute().getItems()) {
        boolean pending = pvc.getStatus() == null || pvc.getStatus().getPhase() == null
            || "Pending".equals(pvc.getStatus().getPhase());
        if (pending && pvc.getSpec().getDataSource() == null && pvc.getMetadata().getDeletionTimestamp() == null) {
          bind(pvc);
        }
      }
    } catch (ApiException e) {
      LOG.warn("listing PVCs failed: HTTP {} {}", e.getCode(), e.getResponseBody());
    } catch (RuntimeException e) {
      LOG.warn("binding PVCs failed", e);
    }
  }

  private void bind(V1PersistentVolumeClaim pvc) throws ApiException {
    String namespace = pvc.getMetadata().getNamespace();
    String name = pvc.getMetadata().getName();
    String size = Optional.ofNullable(pvc.getSpec().getResources())
        .map(r -> r.getRequests())
        .map(r -> r.get("storage"))
        .map(Quantity::toSuffixedString)
        .orElse("1Gi");
    List<String> modes = pvc.getSpec().getAccessModes() == null ? List.of("ReadWriteOnce") : pvc.getSpec().getAccessModes();
    String body = io.kubernetes.client.openapi.JSON.getGson().toJson(
        Map.of("status", Map.of("phase", "Bound", "accessModes", modes, "capacity", Map.of("storage", size))));
    PatchUtils.patch(
        V1PersistentVolumeClaim.class,
        () -> core.patchNamespacedPersistentVolumeClaimStatus(name, namespace, new V1Patch(body)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        client);
    LOG.info("PVC {}/{} bound ({})", namespace, name, size);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}

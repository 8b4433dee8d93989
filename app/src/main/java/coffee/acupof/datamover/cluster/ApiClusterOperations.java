package coffee.acupof.datamover.cluster;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverList;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import java.net.HttpURLConnection;

/** {@link ClusterOperations} through the Kubernetes API. */
public class ApiClusterOperations implements ClusterOperations {
  private final CoreV1Api core;
  private final BatchV1Api batch;
  private final GenericKubernetesApi<DataMover, DataMoverList> dataMovers;

  public ApiClusterOperations(CoreV1Api core, BatchV1Api batch, GenericKubernetesApi<DataMover, DataMoverList> dataMovers) {
    this.core = core;
    this.batch = batch;
    this.dataMovers = dataMovers;
  }

  @Override
  public boolean createPvc(V1PersistentVolumeClaim pvc) {
    return create(
        () -> core.createNamespacedPersistentVolumeClaim(pvc.getMetadata().getNamespace(), pvc).execute(),
        "create PVC " + pvc.getMetadata().getName());
  }

  @Override
  public boolean createJob(V1Job job) {
    return create(
        () -> batch.createNamespacedJob(job.getMetadata().getNamespace(), job).execute(),
        "create Job " + job.getMetadata().getName());
  }

  @Override
  public boolean deletePvc(String namespace, String name) {
    return delete(() -> core.deleteNamespacedPersistentVolumeClaim(name, namespace).execute(), "delete PVC " + name);
  }

  @Override
  public boolean deleteJob(String namespace, String name) {
    return delete(
        () -> batch.deleteNamespacedJob(name, namespace).body(new V1DeleteOptions().propagationPolicy("Background")).execute(),
        "delete Job " + name);
  }

  @Override
  public boolean createDataMover(DataMover dataMover) {
    return create(() -> dataMovers.create(dataMover).throwsApiException(), "create DataMover " + dataMover.name());
  }

  @Override
  public boolean deleteDataMover(String namespace, String name) {
    DeleteOptions options = new DeleteOptions();
    options.setPropagationPolicy("Background");
    return delete(() -> dataMovers.delete(namespace, name, options).throwsApiException(), "delete DataMover " + name);
  }

  private static boolean create(Call call, String what) {
    try {
      call.run();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw failure(what, e);
    }
  }

  private static boolean delete(Call call, String what) {
    try {
      call.run();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      throw failure(what, e);
    }
  }

  @Override
  public void patchPv(String name, String mergePatch) {
    try {
      PatchUtils.patch(
          V1PersistentVolume.class,
          () -> core.patchPersistentVolume(name, new V1Patch(mergePatch)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          core.getApiClient());
    } catch (ApiException e) {
      throw failure("patch PersistentVolume " + name, e);
    }
  }

  /** Wraps an API failure with the server's own message (never the request body). */
  public static ClusterException failure(String what, ApiException e) {
    return new ClusterException("could not " + what + ": " + ApiErrors.message(e), e.getCode(), e);
  }

  @FunctionalInterface
  private interface Call {
    void run() throws ApiException;
  }
}

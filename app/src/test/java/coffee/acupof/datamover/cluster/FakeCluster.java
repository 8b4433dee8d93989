package coffee.acupof.datamover.cluster;

import coffee.acupof.datamover.api.DataMover;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1StorageClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory stand-in for the informer caches and the API writes, for handler unit tests only (the
 * integration tests use a real API server). Writes land in the maps at once, like a cache that is
 * always up to date; {@link #failNextWrite} makes the next write fail as the API server would.
 */
public class FakeCluster implements ClusterView, ClusterOperations {
  public final Map<String, V1PersistentVolumeClaim> pvcs = new HashMap<>();
  public final Map<String, V1Secret> secrets = new HashMap<>();
  /** ConfigMaps by namespace/name, as the API server returns them (they are not cached). */
  public final Map<String, V1ConfigMap> configMaps = new HashMap<>();
  public final Map<String, V1Job> jobs = new HashMap<>();
  public final Map<String, DataMover> dataMovers = new HashMap<>();
  public final List<V1Pod> pods = new ArrayList<>();
  public final Map<String, V1PersistentVolume> pvs = new HashMap<>();
  public final Map<String, V1StorageClass> storageClasses = new HashMap<>();
  /** Pods of users (not the operator's), as the API server lists them. */
  public final List<V1Pod> userPods = new ArrayList<>();
  public final List<String> writes = new ArrayList<>();
  private ClusterException nextFailure;

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public FakeCluster add(V1PersistentVolumeClaim pvc) {
    pvcs.put(key(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName()), pvc);
    return this;
  }

  public FakeCluster add(V1Secret secret) {
    secrets.put(key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()), secret);
    return this;
  }

  public FakeCluster add(V1ConfigMap map) {
    configMaps.put(key(map.getMetadata().getNamespace(), map.getMetadata().getName()), map);
    return this;
  }

  public FakeCluster add(V1Job job) {
    jobs.put(key(job.getMetadata().getNamespace(), job.getMetadata().getName()), job);
    return this;
  }

  public FakeCluster add(V1Pod pod) {
    pods.add(pod);
    return this;
  }

  public FakeCluster add(V1PersistentVolume pv) {
    pvs.put(pv.getMetadata().getName(), pv);
    return this;
  }

  public void failNextWrite(int statusCode, String message) {
    nextFailure = new ClusterException(message, statusCode, null);
  }

  @Override
  public Optional<V1PersistentVolumeClaim> pvc(String namespace, String name) {
    return Optional.ofNullable(pvcs.get(key(namespace, name)));
  }

  @Override
  public Optional<V1Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(key(namespace, name)));
  }

  @Override
  public Optional<Set<String>> configMapKeys(String namespace, String name) {
    return Optional.ofNullable(configMaps.get(key(namespace, name))).map(InformerClusterView::keysOf);
  }

  @Override
  public Optional<V1Job> job(String namespace, String name) {
    return Optional.ofNullable(jobs.get(key(namespace, name)));
  }

  @Override
  public List<V1Pod> podsOfJob(String namespace, String jobName) {
    return pods.stream()
        .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
        .filter(p -> jobName.equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-name")))
        .toList();
  }

  @Override
  public Optional<V1PersistentVolume> pv(String name) {
    return Optional.ofNullable(pvs.get(name));
  }

  @Override
  public Optional<V1StorageClass> storageClass(String name) {
    return Optional.ofNullable(storageClasses.get(name));
  }

  @Override
  public List<V1PersistentVolumeClaim> pvcsReferencing(String namespace, String kind, String name) {
    return pvcs.values().stream()
        .filter(p -> InformerClusterView.dataSourceRefKey(p).contains(namespace + "/" + kind + "/" + name))
        .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  @Override
  public List<V1Pod> podsMounting(String namespace, String claim) {
    return userPods.stream()
        .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
        .filter(p -> p.getSpec().getVolumes().stream()
            .anyMatch(v -> v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName())))
        .toList();
  }

  @Override
  public void patchPv(String name, String mergePatch) {
    throwIfFailing();
    writes.add("patch pv " + name + " " + mergePatch);
    V1PersistentVolume pv = pvs.get(name);
    if (pv != null) {
      Gson gson = new JSON().getGson();
      JsonObject merged = gson.toJsonTree(pv).getAsJsonObject();
      merge(merged, JsonParser.parseString(mergePatch).getAsJsonObject());
      pvs.put(name, gson.fromJson(merged, V1PersistentVolume.class));
    }
  }

  /** RFC 7386 JSON merge patch, as the API server applies it. */
  private static void merge(JsonObject target, JsonObject patch) {
    for (Map.Entry<String, JsonElement> e : patch.entrySet()) {
      if (e.getValue().isJsonNull()) {
        target.remove(e.getKey());
      } else if (e.getValue().isJsonObject() && target.has(e.getKey()) && target.get(e.getKey()).isJsonObject()) {
        merge(target.getAsJsonObject(e.getKey()), e.getValue().getAsJsonObject());
      } else {
        target.add(e.getKey(), e.getValue());
      }
    }
  }

  @Override
  public boolean createPvc(V1PersistentVolumeClaim pvc) {
    throwIfFailing();
    writes.add("create pvc " + pvc.getMetadata().getName());
    return pvcs.putIfAbsent(key(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName()), pvc) == null;
  }

  @Override
  public boolean createJob(V1Job job) {
    throwIfFailing();
    writes.add("create job " + job.getMetadata().getName());
    return jobs.putIfAbsent(key(job.getMetadata().getNamespace(), job.getMetadata().getName()), job) == null;
  }

  @Override
  public boolean deletePvc(String namespace, String name) {
    throwIfFailing();
    writes.add("delete pvc " + name);
    return pvcs.remove(key(namespace, name)) != null;
  }

  @Override
  public boolean deleteJob(String namespace, String name) {
    throwIfFailing();
    writes.add("delete job " + name);
    return jobs.remove(key(namespace, name)) != null;
  }

  @Override
  public boolean createDataMover(DataMover dataMover) {
    throwIfFailing();
    writes.add("create datamover " + dataMover.name());
    return dataMovers.putIfAbsent(key(dataMover.namespace(), dataMover.name()), dataMover) == null;
  }

  @Override
  public boolean deleteDataMover(String namespace, String name) {
    throwIfFailing();
    writes.add("delete datamover " + name);
    return dataMovers.remove(key(namespace, name)) != null;
  }

  private void throwIfFailing() {
    if (nextFailure != null) {
      ClusterException failure = nextFailure;
      nextFailure = null;
      throw failure;
    }
  }
}

package coffee.acupof.datamover.testkit.node;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Secret and ConfigMap volumes as the kubelet sets them up: it reads the object from the API server
 * and writes its keys as files into the volume's directory — every key, or only the listed
 * {@code items} under their {@code path} — with the item's {@code mode}, else the volume's
 * {@code defaultMode}, else {@code 0644}. With a pod {@code fsGroup} the kubelet then adds group read
 * to every file ({@code SetVolumeOwnership} with the read-only mask {@code 0440}; these volumes are
 * read-only), so {@code defaultMode: 0400} ends as {@code 0440}: the file belongs to root and the
 * fsGroup, which lets a non-root container read it.
 *
 * <p>What cannot be played here: the files belong to the test's user (a kubelet writes them as root and
 * gives them the fsGroup), and the kubelet's atomic {@code ..data} symlink layout is left out (a
 * pod sees the keys once, at its start).
 *
 * <p>A missing object, or a missing key named in {@code items}, fails the set-up unless the volume
 * source is {@code optional}, and the kubelet retries: the pod does not start until it is there.
 */
final class KeyVolumes {
  private static final int DEFAULT_MODE = 0644;
  /** The kubelet's mask for read-only volumes under an fsGroup. */
  private static final int FS_GROUP_READ = 0440;

  private final CoreV1Api core;

  KeyVolumes(CoreV1Api core) {
    this.core = core;
  }

  /** Why a volume cannot be set up yet (the kubelet's {@code FailedMount}). */
  static final class SetUpException extends Exception {
    SetUpException(String message) {
      super(message);
    }
  }

  /** Whether the volume is one this class sets up. */
  static boolean handles(V1Volume volume) {
    return volume.getSecret() != null || volume.getConfigMap() != null;
  }

  /** Writes the volume's files into {@code directory}, replacing what was there. */
  void setUp(V1Pod pod, V1Volume volume, Path directory) throws SetUpException, ApiException {
    Source source = source(pod.getMetadata().getNamespace(), volume);
    if (source.values().isEmpty() && !source.optional()) {
      throw new SetUpException("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + source.what() + " not found");
    }
    Map<String, byte[]> keys = source.values().orElse(Map.of());
    int fallbackMode = source.defaultMode() == null ? DEFAULT_MODE : source.defaultMode();
    Map<String, File> files = new LinkedHashMap<>();
    if (source.items() == null || source.items().isEmpty()) {
      keys.forEach((key, value) -> files.put(key, new File(value, fallbackMode)));
    } else {
      for (V1KeyToPath item : source.items()) {
        byte[] value = keys.get(item.getKey());
        if (value == null) {
          if (source.optional()) {
            continue;
          }
          throw new SetUpException("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + source.what()
              + " references non-existent key: " + item.getKey());
        }
        files.put(item.getPath(), new File(value, item.getMode() == null ? fallbackMode : item.getMode()));
      }
    }
    boolean fsGroup = Optional.ofNullable(pod.getSpec().getSecurityContext()).map(V1PodSecurityContext::getFsGroup).isPresent();
    write(directory, files, fsGroup);
  }

  /** The object behind a Secret or ConfigMap volume (its values, when it exists) and the volume's settings. */
  private record Source(String what, Optional<Map<String, byte[]>> values, List<V1KeyToPath> items, Integer defaultMode, boolean optional) {}

  private Source source(String namespace, V1Volume volume) throws ApiException {
    var secret = volume.getSecret();
    if (secret != null) {
      return new Source("secret \"" + secret.getSecretName() + "\"",
          read(() -> core.readNamespacedSecret(secret.getSecretName(), namespace).execute()).map(KeyVolumes::values),
          secret.getItems(), secret.getDefaultMode(), Boolean.TRUE.equals(secret.getOptional()));
    }
    var map = volume.getConfigMap();
    return new Source("configmap \"" + map.getName() + "\"",
        read(() -> core.readNamespacedConfigMap(map.getName(), namespace).execute()).map(KeyVolumes::values),
        map.getItems(), map.getDefaultMode(), Boolean.TRUE.equals(map.getOptional()));
  }

  private record File(byte[] content, int mode) {}

  private static void write(Path directory, Map<String, File> files, boolean fsGroup) {
    try {
      clear(directory);
      Files.createDirectories(directory);
      for (Map.Entry<String, File> entry : files.entrySet()) {
        Path file = directory.resolve(entry.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, entry.getValue().content());
        Files.setPosixFilePermissions(file, permissions(entry.getValue().mode() | (fsGroup ? FS_GROUP_READ : 0)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write volume files into " + directory, e);
    }
  }

  private static void clear(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (!path.equals(directory)) {
          Files.delete(path);
        }
      }
    }
  }

  /** The permission bits of {@code mode} ({@code 0777}; volume files have no setuid or sticky bits). */
  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder rwx = new StringBuilder();
    for (int bit = 8; bit >= 0; bit--) {
      rwx.append((mode & (1 << bit)) != 0 ? "rwx".charAt((8 - bit) % 3) : '-');
    }
    return PosixFilePermissions.fromString(rwx.toString());
  }

  private static Map<String, byte[]> values(V1Secret secret) {
    return secret.getData() == null ? Map.of() : secret.getData();
  }

  private static Map<String, byte[]> values(V1ConfigMap map) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    if (map.getData() != null) {
      map.getData().forEach((k, v) -> values.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (map.getBinaryData() != null) {
      values.putAll(map.getBinaryData());
    }
    return values;
  }

  private static <T> Optional<T> read(Read<T> read) throws ApiException {
    try {
      return Optional.of(read.call());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @FunctionalInterface
  private interface Read<T> {
    T call() throws ApiException;
  }
}

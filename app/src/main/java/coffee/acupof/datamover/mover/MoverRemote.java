package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.api.RemoteSpec;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1SecretVolumeSource;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a mover Job reaches the remote, from a kind's {@link RemoteSpec}: the Secret whose keys become
 * the container's environment ({@code envFrom}; the S3 or {@code REMOTE_*} form of the mover contract),
 * or the rclone.conf Secret key mounted as a file with the section to use (form b); plus, with either,
 * a custom CA bundle from a Secret or ConfigMap key mounted as a file ({@code MOVER_CA_BUNDLE}).
 *
 * <p>Each file is projected alone ({@code items}: only its key, under a fixed file name) into a volume
 * of its own, mounted read-only, with mode {@code 0400}. The kubelet writes such files as root and, since
 * the mover pod has an {@code fsGroup}, gives them that group and adds group read ({@code 0440}): the
 * non-root mover reads them through the group, no other user can. The values never reach the
 * environment or a command line. A pure value.
 *
 * @param envSecret the Secret whose keys become the environment; empty with an rclone.conf
 * @param env the contract's variables naming the files and the section
 * @param volumes the read-only Secret and ConfigMap volumes of the files
 * @param mounts where the container sees them
 */
public record MoverRemote(Optional<String> envSecret, List<V1EnvVar> env, List<V1Volume> volumes, List<V1VolumeMount> mounts) {
  /** Mode of the projected files: owner read only (the kubelet adds group read for the pod's fsGroup). */
  public static final int FILE_MODE = 0400;
  static final String CONFIG_VOLUME = "rclone-config";
  static final String CA_VOLUME = "custom-ca";

  public MoverRemote {
    env = List.copyOf(env);
    volumes = List.copyOf(volumes);
    mounts = List.copyOf(mounts);
  }

  public static MoverRemote of(RemoteSpec spec) {
    Optional<String> envSecret = Optional.empty();
    List<V1EnvVar> env = new ArrayList<>();
    List<V1Volume> volumes = new ArrayList<>();
    List<V1VolumeMount> mounts = new ArrayList<>();
    if (spec.usesRcloneConfig()) {
      RcloneConfigSpec config = spec.rcloneConfig();
      V1KeyToPath item = item(config.keyOrDefault(), MoverContract.CONFIG_FILE);
      volumes.add(new V1Volume().name(CONFIG_VOLUME).secret(
          new V1SecretVolumeSource().secretName(config.secretName()).items(List.of(item)).defaultMode(FILE_MODE)));
      mounts.add(readOnly(CONFIG_VOLUME, MoverContract.CONFIG_DIR));
      env.add(var(MoverContract.ENV_CONFIG_FILE, MoverContract.CONFIG_DIR + "/" + MoverContract.CONFIG_FILE));
      env.add(var(MoverContract.ENV_CONFIG_SECTION, config.section()));
    } else {
      envSecret = Optional.of(spec.secretName());
    }
    CustomCaSpec ca = spec.customCA();
    if (ca != null) {
      V1KeyToPath item = item(ca.keyOrDefault(), MoverContract.CA_FILE);
      V1Volume volume = new V1Volume().name(CA_VOLUME);
      if (ca.inSecret()) {
        volume.secret(new V1SecretVolumeSource().secretName(ca.secretName()).items(List.of(item)).defaultMode(FILE_MODE));
      } else {
        volume.configMap(new V1ConfigMapVolumeSource().name(ca.configMapName()).items(List.of(item)).defaultMode(FILE_MODE));
      }
      volumes.add(volume);
      mounts.add(readOnly(CA_VOLUME, MoverContract.CA_DIR));
      env.add(var(MoverContract.ENV_CA_BUNDLE, MoverContract.CA_DIR + "/" + MoverContract.CA_FILE));
    }
    return new MoverRemote(envSecret, env, volumes, mounts);
  }

  private static V1KeyToPath item(String key, String file) {
    return new V1KeyToPath().key(key).path(file);
  }

  private static V1VolumeMount readOnly(String volume, String directory) {
    return new V1VolumeMount().name(volume).mountPath(directory).readOnly(true);
  }

  private static V1EnvVar var(String name, String value) {
    return new V1EnvVar().name(name).value(value);
  }
}

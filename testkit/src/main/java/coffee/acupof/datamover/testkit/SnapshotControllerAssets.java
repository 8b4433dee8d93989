package coffee.acupof.datamover.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the external-snapshotter's {@code snapshot-controller} executable and its VolumeSnapshot
 * CRDs by running {@code hack/snapshot-controller.sh}, which builds the pinned version from its Go
 * module on first use (4-10 minutes; progress on this JVM's stderr) and prints the cached directory
 * at once afterwards. The result is remembered for the life of the JVM.
 */
public final class SnapshotControllerAssets {

  /** The script, relative to the repository root. */
  public static final String SCRIPT = "hack/snapshot-controller.sh";

  private static final long SCRIPT_TIMEOUT_MINUTES = 60;
  private static Path directory;

  private SnapshotControllerAssets() {}

  /** The directory holding {@code snapshot-controller} and {@code crds/}. */
  public static synchronized Path directory() {
    if (directory == null) {
      directory = AssetScript.printedDirectory(EnvtestAssets.repositoryRoot().resolve(SCRIPT), SCRIPT_TIMEOUT_MINUTES);
    }
    return directory;
  }

  /** The {@code snapshot-controller} executable. */
  public static Path executable() {
    Path path = directory().resolve("snapshot-controller");
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(path + " is missing or not executable; check " + SCRIPT);
    }
    return path;
  }

  /**
   * The directory of the CRD manifests of VolumeSnapshot, VolumeSnapshotContent and
   * VolumeSnapshotClass ({@code snapshot.storage.k8s.io/v1}), for {@link ApiServer#applyYaml(Path)}.
   */
  public static Path crdDirectory() {
    Path crds = directory().resolve("crds");
    if (!Files.isDirectory(crds)) {
      throw new IllegalStateException(crds + " is missing; check " + SCRIPT);
    }
    return crds;
  }
}

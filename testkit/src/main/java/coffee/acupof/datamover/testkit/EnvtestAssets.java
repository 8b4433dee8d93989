package coffee.acupof.datamover.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl executables by
 * running {@code hack/envtest-assets.sh}.
 *
 * <p>The script prints a directory in the envtest {@code KUBEBUILDER_ASSETS} layout; the first run
 * builds the pinned versions (10-25 minutes; its progress goes to this JVM's stderr), later runs take
 * well under a second. The result is remembered for the life of the JVM.
 */
public final class EnvtestAssets {

  /** The script, relative to the repository root. */
  public static final String SCRIPT = "hack/envtest-assets.sh";

  /** System property naming the repository root; the Maven build sets it. */
  public static final String ROOT_PROPERTY = "datamover.root";

  private static final long SCRIPT_TIMEOUT_MINUTES = 60;
  private static Path directory;

  private EnvtestAssets() {}

  /** The directory holding {@code etcd}, {@code kube-apiserver}, {@code kube-controller-manager}, {@code kube-scheduler} and {@code kubectl}. */
  public static synchronized Path directory() {
    if (directory == null) {
      directory = AssetScript.printedDirectory(repositoryRoot().resolve(SCRIPT), SCRIPT_TIMEOUT_MINUTES);
    }
    return directory;
  }

  /** Path of the executable {@code name} (e.g. "kubectl") in {@link #directory()}. */
  public static Path executable(String name) {
    Path path = directory().resolve(name);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(path + " is missing or not executable; check " + SCRIPT);
    }
    return path;
  }

  /**
   * The repository root: the first directory holding {@value #SCRIPT}, searched upwards from the
   * system property {@value #ROOT_PROPERTY} and then from the working directory.
   */
  public static Path repositoryRoot() {
    List<Path> starts = new ArrayList<>();
    String property = System.getProperty(ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      starts.add(Path.of(property));
    }
    starts.add(Path.of(System.getProperty("user.dir")));
    for (Path start : starts) {
      for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(SCRIPT))) {
          return dir;
        }
      }
    }
    throw new IllegalStateException(
        "cannot find " + SCRIPT + " above " + starts
            + "; run the tests from the repository or set -D" + ROOT_PROPERTY + "=<repository root>");
  }
}

package coffee.acupof.datamover.bench;

import coffee.acupof.datamover.testkit.Commands;
import coffee.acupof.datamover.testkit.EnvtestAssets;
import coffee.acupof.datamover.testkit.Rclone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the benchmark's parts are: the repository, the pinned rclone, MinIO ({@code hack/minio.sh}), the
 * S3Proxy jar, the packaged operator jar, the Java runtime of the mover and the JDK running this harness.
 *
 * @param repo the repository root
 * @param operatorJar the operator's Spring Boot jar (as {@code app/Dockerfile} ships it)
 * @param s3proxyJar S3Proxy's jar-with-dependencies
 * @param moverRuntime the Java runtime the mover runs on (hack/bench.sh builds a jlink image as the mover image's)
 */
public record Tools(Path repo, Path operatorJar, Path s3proxyJar, Path moverRuntime) {
  private static final Duration MINIO_BUILD_TIMEOUT = Duration.ofMinutes(30);

  public Tools {
    requireFile(operatorJar, "the operator jar (--operator-jar; build it with mvn -pl app -am package -DskipTests)");
    requireFile(s3proxyJar, "the S3Proxy jar (--s3proxy-jar)");
    requireFile(moverRuntime.resolve("bin/java"), "the mover's Java runtime (--mover-runtime)");
  }

  /** The tools {@code options} name, for the repository at {@code repo}. */
  public static Tools of(Path repo, BenchOptions options) {
    return new Tools(repo, options.operatorJar(), options.s3proxyJar(), options.moverRuntime());
  }

  /** The pinned rclone, installed by hack/rclone.sh when needed. */
  public Path rclone() {
    return Rclone.binary();
  }

  /** MinIO built from its pinned Go module by hack/minio.sh (cached; the first build takes minutes). */
  public Path minio() {
    Commands.Result result = Commands.exec(
        List.of("bash", repo.resolve("hack/minio.sh").toString()), repo, null, Map.of(), MINIO_BUILD_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("hack/minio.sh failed:\n" + result.stderr());
    }
    Path binary = Path.of(result.stdout().strip());
    requireFile(binary, "the MinIO binary printed by hack/minio.sh");
    return binary;
  }

  /** The java executable of the JDK running this harness (Java 25, from hack/java-home.sh). */
  public Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The directory holding etcd, kube-apiserver, kube-controller-manager and kubectl. */
  public Path envtestAssets() {
    return EnvtestAssets.directory();
  }

  private static void requireFile(Path file, String what) {
    if (file == null || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("missing " + what + ": " + file);
    }
  }
}

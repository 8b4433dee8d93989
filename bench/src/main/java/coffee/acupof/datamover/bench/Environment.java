package coffee.acupof.datamover.bench;

import coffee.acupof.datamover.testkit.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine and the versions of everything a benchmark ran, for the report.
 *
 * @param cpu CPU model
 * @param cores processors this JVM sees
 * @param memoryGiB total memory
 * @param kernel operating system and kernel
 * @param loadAverageAtStart the 1-minute load average when the benchmark started (other work on the machine)
 * @param loadAverageAtEnd the same at the end
 * @param versions name to version of each part
 */
public record Environment(String cpu, int cores, double memoryGiB, String kernel, double loadAverageAtStart,
    double loadAverageAtEnd, Map<String, String> versions) {

  /** Describes this machine and the tools; {@code loadAverageAtEnd} is filled by {@link #ended()}. */
  static Environment describe(Tools tools, boolean withMinio, boolean withCluster) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("Java (harness and operator)", System.getProperty("java.vm.vendor") + " " + Runtime.version());
    versions.put("rclone", firstLine(List.of(tools.rclone().toString(), "version")));
    if (withMinio) {
      versions.put("MinIO", firstLine(List.of(tools.minio().toString(), "--version")));
    }
    versions.put("S3Proxy", tools.s3proxyJar().getFileName().toString());
    if (withCluster) {
      Path assets = tools.envtestAssets();
      versions.put("kube-apiserver", firstLine(List.of(assets.resolve("kube-apiserver").toString(), "--version")));
      versions.put("etcd", firstLine(List.of(assets.resolve("etcd").toString(), "--version")));
    }
    versions.put("operator jar", tools.operatorJar().getFileName().toString());
    return new Environment(ProcFs.cpuModel(), Runtime.getRuntime().availableProcessors(),
        ProcFs.memoryBytes() / (1024.0 * 1024 * 1024), System.getProperty("os.name") + " " + System.getProperty("os.version"),
        ProcFs.loadAverage(), Double.NaN, versions);
  }

  /** This description with the load average at the end. */
  Environment ended() {
    return new Environment(cpu, cores, memoryGiB, kernel, loadAverageAtStart, ProcFs.loadAverage(), versions);
  }

  private static String firstLine(List<String> command) {
    Commands.Result result = Commands.exec(command, null, null, Map.of(), Duration.ofSeconds(60));
    String out = (result.stdout() + result.stderr()).strip();
    return out.isEmpty() ? "unknown" : out.lines().findFirst().orElseThrow().strip();
  }
}

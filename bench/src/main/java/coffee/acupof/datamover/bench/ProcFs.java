package coffee.acupof.datamover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmarks read from Linux's /proc: a process's resident memory and CPU time, the loopback
 * interface's byte counter, the load average, and the page cache switch.
 */
public final class ProcFs {
  private static final long CLOCK_TICKS = clockTicks();

  private ProcFs() {}

  /** Resident set size of {@code pid} in bytes, or empty when the process is gone. */
  public static Optional<Long> rssBytes(long pid) {
    return statusField(pid, "VmRSS:").map(kib -> kib * 1024);
  }

  /** CPU time (user + system) that {@code pid} has used so far, in milliseconds, or empty when it is gone. */
  public static Optional<Long> cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return Optional.of(ticks * 1000 / CLOCK_TICKS);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Bytes sent over the loopback interface of this process's network namespace so far. Every byte between
   * two local processes is counted once here (and once more as received).
   */
  public static long loopbackBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/net/dev"))) {
        String trimmed = line.strip();
        if (trimmed.startsWith("lo:")) {
          String[] fields = trimmed.substring(3).strip().split("\\s+");
          return Long.parseLong(fields[8]);
        }
      }
      throw new IllegalStateException("no 'lo' interface in /proc/self/net/dev");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/net/dev", e);
    }
  }

  /**
   * True when no interface other than loopback is up in this network namespace: then {@link #loopbackBytes()}
   * counts only the benchmark's own traffic (hack/bench.sh runs it in a private namespace when it can).
   */
  public static boolean loopbackIsolated() {
    try {
      return Files.readAllLines(Path.of("/proc/self/net/dev")).stream()
          .skip(2)
          .map(line -> line.strip().split(":")[0])
          .allMatch("lo"::equals);
    } catch (IOException e) {
      return false;
    }
  }

  /** The 1-minute load average. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** Total memory of the machine in bytes. */
  public static long memoryBytes() {
    return meminfo("MemTotal:");
  }

  /** The CPU model name of the first processor. */
  public static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Writes dirty pages and drops the page cache, dentries and inodes ({@code echo 3 > /proc/sys/vm/drop_caches}),
   * so no contender profits from files another one just read. Returns false when this process may not (not
   * root, or a read-only /proc/sys).
   */
  public static boolean dropCaches() {
    try {
      Process sync = new ProcessBuilder("sync").start();
      if (!sync.waitFor(5, TimeUnit.MINUTES)) {
        sync.destroyForcibly();
      }
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n", StandardCharsets.US_ASCII);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Optional<Long> statusField(long pid, String field) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      return lines.stream()
          .filter(line -> line.startsWith(field))
          .map(line -> Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long meminfo(String field) {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(line -> line.startsWith(field))
          .map(line -> Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]) * 1024)
          .findFirst()
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}

package coffee.acupof.datamover.testkit.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The file operations of the played driver: its volumes and snapshots are directories. */
final class Directories {
  private static final Logger LOG = LoggerFactory.getLogger(Directories.class);

  private Directories() {}

  /**
   * Copies directory {@code from} to the new directory {@code to} with {@code cp -a} (modes, times,
   * links). A failed copy leaves nothing behind, so a retry starts afresh.
   *
   * @throws IOException when {@code to} exists and is not empty, or the copy fails (the message says
   *     why)
   */
  static void copyInto(Path from, Path to) throws IOException {
    if (Files.isDirectory(to)) {
      try (Stream<Path> entries = Files.list(to)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("the directory " + to + " exists and is not empty");
        }
      }
      Files.delete(to);
    }
    Files.createDirectories(to.getParent());
    Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
    String output = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (cp.waitFor() != 0) {
        deleteRecursively(to);
        throw new IOException("cp -a " + from + " " + to + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cp.destroyForcibly();
      deleteRecursively(to);
      throw new IOException("interrupted while copying " + from + " to " + to, e);
    }
  }

  static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }

  /** Deletes {@code directory} and everything in it; what cannot be deleted is logged. */
  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot delete {} completely: {}", directory, e.toString());
    }
  }

  /** True when {@code path}, normalized, lies strictly inside {@code root}: only such a path is ever deleted. */
  static boolean isInside(Path root, Path path) {
    Path normalized = path.toAbsolutePath().normalize();
    return normalized.startsWith(root) && !normalized.equals(root);
  }
}

package coffee.acupof.datamover.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Sample volume contents and a fingerprint of a directory tree to compare a restore with. */
final class Trees {
  private Trees() {}

  /** A small tree like an application volume: nested files, an empty directory, a symlink, UTF-8 names. */
  static void writeSample(Path root, String flavour) throws IOException {
    Files.createDirectories(root.resolve("app/config"));
    Files.createDirectories(root.resolve("data/empty"));
    Files.createDirectories(root.resolve("logs"));
    Files.writeString(root.resolve("app/config/settings.yaml"), "flavour: " + flavour + "\nreplicas: 3\n");
    Files.writeString(root.resolve("app/README.md"), "# " + flavour + "\n");
    for (int i = 0; i < 20; i++) {
      Files.writeString(root.resolve("data/record-" + i + ".json"), "{\"id\":" + i + ",\"flavour\":\"" + flavour + "\"}\n");
    }
    byte[] big = new byte[3 * 1024 * 1024];
    new Random(flavour.hashCode()).nextBytes(big);
    Files.write(root.resolve("data/blob.bin"), big);
    Files.writeString(root.resolve("logs/journal-été.log"), "naïve café ✓\n");
    Files.createSymbolicLink(root.resolve("current"), Path.of("data/record-0.json"));
  }

  /**
   * A volume of {@code dirs} × {@code filesPerDir} small files in nested directories, plus one large
   * file of {@code largeBytes}, symlinks (to a file, to a directory, dangling), empty directories,
   * non-ASCII names, unusual modes (0600, 0640, 0755, a setgid directory) and modification times
   * spread over years. Deterministic for a seed.
   */
  static void writeLarge(Path root, long seed, int dirs, int filesPerDir, long largeBytes) throws IOException {
    Random random = new Random(seed);
    Instant base = Instant.parse("2021-03-04T05:06:07.123456789Z");
    for (int d = 0; d < dirs; d++) {
      Path dir = root.resolve("tree-" + (d % 10)).resolve("dir-" + d + (d % 17 == 0 ? "-ünïcødé-日本" : ""));
      Files.createDirectories(dir);
      for (int f = 0; f < filesPerDir; f++) {
        byte[] content = new byte[64 + random.nextInt(512)];
        random.nextBytes(content);
        Path file = dir.resolve("file-" + f + (f % 50 == 0 ? " with spaces & 'quotes'.dat" : ".dat"));
        Files.write(file, content);
        if (f % 7 == 0) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(f % 2 == 0 ? "rw-------" : "rw-r-----"));
        } else if (f % 11 == 0) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setLastModifiedTime(file, FileTime.from(base.plusSeconds(random.nextInt(100_000_000))));
      }
    }
    Path big = root.resolve("big/database.img");
    Files.createDirectories(big.getParent());
    try (var out = Files.newOutputStream(big)) {
      byte[] chunk = new byte[1 << 20];
      for (long written = 0; written < largeBytes; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, largeBytes - written));
      }
    }
    Files.createDirectories(root.resolve("empty/nested-empty"));
    Files.createDirectories(root.resolve("shared"));
    Files.setAttribute(root.resolve("shared"), "unix:mode", 02770); // setgid directory
    Files.createSymbolicLink(root.resolve("latest"), Path.of("big/database.img"));
    Files.createSymbolicLink(root.resolve("tree-link"), Path.of("tree-0"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
  }

  /**
   * Relative path → mode and modification time (ms) of every file and directory, and the target of
   * every symlink: what a restore must bring back besides the contents.
   */
  static Map<String, String> metadata(Path root) throws IOException {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          result.put(rel, "link:" + Files.readSymbolicLink(p));
        } else {
          int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
          long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
          result.put(rel, Integer.toOctalString(mode) + " " + mtime);
        }
      }
    }
    return result;
  }

  /** Relative path → sha256 of a file, "dir" for a directory, "link:target" for a symlink. */
  static Map<String, String> fingerprint(Path root) throws IOException {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          result.put(rel, "link:" + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          result.put(rel, "dir");
        } else {
          result.put(rel, sha256(p));
        }
      }
    }
    return result;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

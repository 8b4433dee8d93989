package coffee.acupof.datamover.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
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
    new java.util.Random(flavour.hashCode()).nextBytes(big);
    Files.write(root.resolve("data/blob.bin"), big);
    Files.writeString(root.resolve("logs/journal-été.log"), "naïve café ✓\n");
    Files.createSymbolicLink(root.resolve("current"), Path.of("data/record-0.json"));
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

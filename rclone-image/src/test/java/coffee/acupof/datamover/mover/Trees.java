package coffee.acupof.datamover.mover;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Generates directory trees for tests and takes comparable snapshots of them. */
final class Trees {

  private Trees() {}

  /** What a tree looks like: per relative path, its type, content hash, size, mode and times. */
  record Entry(String type, long size, String sha256, String linkTarget, String mode, Instant mtime, Integer uid) {}

  /** Writes a file with {@code content} and the given modification time. */
  static Path write(Path root, String relative, String content, Instant mtime) {
    return write(root, relative, content.getBytes(StandardCharsets.UTF_8), mtime);
  }

  static Path write(Path root, String relative, byte[] content, Instant mtime) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      if (mtime != null) {
        Files.setLastModifiedTime(file, FileTime.from(mtime));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Random bytes from a fixed seed. */
  static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i += 8) {
      long value = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        bytes[i + j] = (byte) (value >>> (8 * j));
      }
    }
    return bytes;
  }

  /** Writes a large file of random bytes in chunks. */
  static void writeLarge(Path file, long seed, long size) throws IOException {
    Files.createDirectories(file.getParent());
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += chunk.length) {
        for (int i = 0; i < chunk.length; i += 8) {
          long value = random.nextLong();
          for (int j = 0; j < 8; j++) {
            chunk[i + j] = (byte) (value >>> (8 * j));
          }
        }
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
  }

  /**
   * The tree of the round-trip test: {@code dirs × subdirs × filesPerDir} small random files with distinct
   * sub-second modification times and a few modes, nested and empty directories, symlinks, non-ASCII names and
   * one large file.
   */
  static void generate(Path root, int dirs, int subdirs, int filesPerDir, long largeFileBytes) throws IOException {
    Files.createDirectories(root);
    SplittableRandom random = new SplittableRandom(42);
    Instant base = Instant.parse("2021-03-04T05:06:07.123456789Z");
    int n = 0;
    for (int d = 0; d < dirs; d++) {
      for (int s = 0; s < subdirs; s++) {
        for (int f = 0; f < filesPerDir; f++) {
          n++;
          String name = "d" + d + "/s" + s + "/file-" + f + (f % 3 == 0 ? ".txt" : ".bin");
          Path file = write(root, name, randomBytes(n, random.nextInt(0, 4096)),
              base.plusSeconds(n * 37L).plusNanos(n * 1_001L));
          if (f % 7 == 0) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
          } else if (f % 7 == 1) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
    write(root, "ünïcødé/naïve café.txt", "crème brûlée\n", base);
    write(root, "日本語/ファイル名.txt", "こんにちは\n", base.plusSeconds(1));
    write(root, "with space/and 'quotes' & $dollar.txt", "odd name\n", base.plusSeconds(2));
    write(root, "emoji-📦.bin", randomBytes(7, 100), base.plusSeconds(3));
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve("d0/s0/empty-nested/deeper"));
    Path privateDir = Files.createDirectories(root.resolve("private-dir"));
    write(root, "private-dir/secret-ish.txt", "only me\n", base.plusSeconds(4));
    Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
    Path setuid = write(root, "bin/tool", "#!/bin/sh\necho tool\n", base.plusSeconds(5));
    Files.setAttribute(setuid, "unix:mode", 04755);
    Path sticky = Files.createDirectories(root.resolve("shared-tmp"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    int links = 0;
    for (String[] link : new String[][] {
        {"link-to-file", "d0/s0/file-0.txt"}, {"d1/link-to-dir", "../d2"}, {"dangling-absolute", "/nonexistent/target"}}) {
      Path created = Files.createSymbolicLink(root.resolve(link[0]), Path.of(link[1]));
      Files.getFileAttributeView(created, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(FileTime.from(base.plusSeconds(500 + ++links)), null, null);
    }
    if (largeFileBytes > 0) {
      Path large = root.resolve("big/large.bin");
      writeLarge(large, 99, largeFileBytes);
      Files.setLastModifiedTime(large, FileTime.from(base.plusSeconds(99_999)));
    }
    // Directory times last: creating entries above changed them.
    setDirectoryTimes(root, base.minusSeconds(3600));
  }

  /** Sets every directory's modification time below root (not root itself) to distinct values. */
  static void setDirectoryTimes(Path root, Instant base) throws IOException {
    int[] n = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (!dir.equals(root)) {
          Files.setLastModifiedTime(dir, FileTime.from(base.plusSeconds(++n[0] * 11L)));
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** A snapshot of everything below root (root itself excluded), symlinks not followed. */
  static Map<String, Entry> snapshot(Path root) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(root)) {
          entries.put(relative(root, dir), new Entry("dir", 0, null, null, mode(dir), mtime(dir), uid(dir)));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String rel = relative(root, file);
        if (attrs.isSymbolicLink()) {
          entries.put(rel, new Entry("symlink", 0, null, Files.readSymbolicLink(file).toString(), null, mtime(file),
              uid(file)));
        } else {
          entries.put(rel, new Entry("file", attrs.size(), sha256(file), null, mode(file), mtime(file), uid(file)));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return entries;
  }

  /** Number of files as rclone counts them (regular files and symlinks). */
  static long fileCount(Map<String, Entry> snapshot) {
    return snapshot.values().stream().filter(e -> !e.type().equals("dir")).count();
  }

  /** Bytes as rclone counts them: file sizes plus, for symlinks, the length of the link target. */
  static long byteCount(Map<String, Entry> snapshot) {
    return snapshot.values().stream()
        .mapToLong(e -> switch (e.type()) {
          case "file" -> e.size();
          case "symlink" -> e.linkTarget().getBytes(StandardCharsets.UTF_8).length;
          default -> 0;
        })
        .sum();
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      try (var in = Files.newInputStream(file)) {
        for (int read; (read = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, read);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String relative(Path root, Path path) {
    return root.relativize(path).toString();
  }

  /** Permission bits including setuid, setgid and sticky, in octal. */
  private static String mode(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return String.format("%04o", mode & 07777);
  }

  private static Instant mtime(Path path) throws IOException {
    return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
  }

  private static Integer uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }
}

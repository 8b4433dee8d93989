package coffee.acupof.datamover.rclonemover;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The volume to back up, from one {@code rclone lsjson -R -M --links} walk (so names, symlinks and skipped special
 * files are exactly what rclone will copy), streamed into sorted temp files.
 *
 * @param files path → the marker's JSON of the file
 * @param directories path → the marker's JSON of the directory
 * @param reservedEntry whether the volume has a top-level {@code .datamover} entry
 */
public record Volume(SortedFile files, SortedFile directories, long fileCount, long byteCount,
    boolean reservedEntry) {

  /** Lists {@code data}. */
  public static Volume read(Remote remote, Path data) {
    Path listing = remote.temp("volume.json");
    Rclone.Outcome outcome = remote.run(Rclone.Call.of("lsjson", "-R", "-M", "--links", "--no-mimetype",
        data.toString()).to(listing));
    if (!outcome.ok()) {
      throw remote.failure("could not list MOVER_DATA_DIR '" + data + "'", outcome);
    }
    SortedFile.Builder files = SortedFile.builder(remote.work());
    SortedFile.Builder dirs = SortedFile.builder(remote.work());
    long[] counts = new long[2];
    boolean[] reserved = {false};
    Listing.read(listing, e -> {
      if (e.path().equals(Catalog.META)) {
        reserved[0] = true;
      }
      if (e.dir()) {
        dirs.add(e.path(), new Manifest.Directory(e.path(), e.mode(), e.modTime(), e.uid(), e.gid()).json());
      } else {
        Manifest.File file = new Manifest.File(e.path(), e.size(), e.mode(), e.uid(), e.gid(), e.link(),
            Optional.empty());
        files.add(e.path(), new Manifest.File(e.path(), e.size(), e.mode(), e.uid(), e.gid(), e.link(),
            Optional.empty(), stamp(data.resolve(file.localPath()))).json());
        counts[0]++;
        counts[1] += e.size();
      }
    });
    delete(listing);
    return new Volume(files.build(), dirs.build(), counts[0], counts[1], reserved[0]);
  }

  /**
   * The file's {@link Manifest.Stamp}, read without following a symlink; none where the file system has no such
   * attributes or the file went away since the listing (it is then copied and checked as any changed file).
   */
  static Optional<Manifest.Stamp> stamp(Path file) {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new Manifest.Stamp(((FileTime) a.get("lastModifiedTime")).toInstant().toString(),
          ((FileTime) a.get("ctime")).toInstant().toString(), ((Number) a.get("ino")).longValue()));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** The file names, NUL-separated, for {@code --files-from0}. */
  public static Path filesFrom(Remote remote, SortedFile paths) {
    return filesFrom(remote, paths, e -> true);
  }

  /** The names of the records that {@code which} accepts, NUL-separated, for {@code --files-from0}. */
  public static Path filesFrom(Remote remote, SortedFile paths, Predicate<SortedFile.Entry> which) {
    Path list = remote.temp("files-from0.lst");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(list), 1 << 16)) {
      paths.forEach(e -> {
        if (!which.test(e)) {
          return;
        }
        try {
          out.write(e.key().getBytes(StandardCharsets.UTF_8));
          out.write(0);
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return list;
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // in the private temp dir, removed at exit
    }
  }
}

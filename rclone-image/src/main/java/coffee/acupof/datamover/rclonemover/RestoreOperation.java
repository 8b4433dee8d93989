package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code restore}: refuse system directories and non-empty targets before contacting the remote, copy exactly the
 * files of the chosen backup's marker, check that every one is there with its size, then recreate directories and
 * apply modes, owners (as root) and directory times from the marker. Nothing in the target is ever deleted.
 */
public final class RestoreOperation {

  private static final Set<String> SYSTEM_DIRS = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib",
      "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys",
      "/tmp", "/usr", "/usr/bin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/local",
      "/usr/local/bin", "/usr/local/lib", "/usr/local/sbin", "/usr/sbin", "/usr/share", "/var", "/var/lib",
      "/var/log", "/var/run", "/var/tmp", "/var/cache", "/var/spool");
  private static final List<String> KERNEL_FILESYSTEMS = List.of("/proc/", "/sys/", "/dev/");

  private RestoreOperation() {}

  /** Runs a restore; returns the success message. */
  public static String run(Context ctx) {
    Settings settings = ctx.settings();
    Path data = settings.dataDir();
    checkUnverifiedRequest(settings);
    checkTarget(settings);
    ctx.report().destination(ctx.config().display(""));
    // The backup is looked up while the remote is checked; a failure of the check is the one reported.
    RestorePoint point = Concurrently.both("restore-point",
        () -> RestorePoint.select(ctx, settings.allowUnverifiedBackup()), () -> {
          ctx.remote().preflight();
          return true;
        }).background();
    String from = ctx.config().display(point.sub());
    ctx.report().destination(from).pointInTime(point.pointInTime()).put("verified", point.verified());
    if (!point.verified()) {
      return unverified(ctx, point, from);
    }

    Path markerFile = point.markerFile(ctx);
    SortedFile.Builder files = SortedFile.builder(ctx.work());
    SortedFile.Builder dirs = SortedFile.builder(ctx.work());
    Manifest.read(markerFile, f -> files.add(f.path(), f.json()), d -> dirs.add(d.path(), d.json()), from);
    SortedFile wanted = files.build();
    SortedFile directories = dirs.build();

    createTarget(data);
    ctx.out().log("restoring " + wanted.size() + " files from " + from + " into " + data);
    copyAndCheck(ctx, point, from, wanted, List.of("--links"), "the backup was modified after it completed");
    PosixMetadata.apply(ctx.out(), data, wanted, directories);
    return "restored " + from + " into " + data + ": " + ctx.report().files() + " file(s), " + ctx.report().bytes()
        + " byte(s) transferred; the backup holds " + wanted.size() + " file(s)";
  }

  /**
   * A named folder without completion marker ({@code MOVER_ALLOW_UNVERIFIED_BACKUP=true}, e.g. a backup of the Go
   * DataMover Operator, written by plain {@code rclone sync}): every object in it is copied as it is (no symlink
   * translation, no POSIX metadata, which such a backup does not have) and checked to have arrived with the size
   * the listing gave. Whether the folder holds the whole backup cannot be known; the result says so.
   */
  private static String unverified(Context ctx, RestorePoint point, String from) {
    Path data = ctx.settings().dataDir();
    String warning = from + " has no completion marker: its completeness cannot be checked (a backup that was"
        + " interrupted looks the same); restoring every object in it as listed because"
        + " MOVER_ALLOW_UNVERIFIED_BACKUP=true";
    ctx.out().log("WARNING: " + warning);
    SortedFile.Builder listed = SortedFile.builder(ctx.work());
    ctx.remote().lsjson(ctx.config().at(point.sub()), "-R", "--files-only", "--no-modtime",
        "--exclude", "/" + Catalog.META + "/**").ifPresent(l -> Listing.read(l, e -> listed.add(e.path(),
            new Manifest.File(e.path(), e.size(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.empty()).json())));
    SortedFile wanted = listed.build();
    if (wanted.isEmpty()) {
      throw MoverFailure.refused(from + " holds no objects; nothing to restore");
    }
    createTarget(data);
    ctx.out().log("restoring " + wanted.size() + " objects from " + from + " into " + data + " (unverified)");
    copyAndCheck(ctx, point, from, wanted, List.of(), "objects changed while they were restored");
    return "restored " + from + " into " + data + " UNVERIFIED: " + ctx.report().files() + " file(s), "
        + ctx.report().bytes() + " byte(s) transferred, each with its listed size; the folder has no completion"
        + " marker, so whether it holds the complete backup could not be checked";
  }

  /** Copies exactly {@code wanted} (path → marker entry) into the volume; fails unless each arrived with its size. */
  private static void copyAndCheck(Context ctx, RestorePoint point, String from, SortedFile wanted, List<String> flags,
      String cause) {
    Path filesFrom = Volume.filesFrom(ctx.remote(), wanted);
    Transfer.Copied copied = Transfer.copy(ctx, ctx.config().at(point.sub()), ctx.settings().dataDir().toString(),
        filesFrom, "restore from " + from, flags);
    // rclone skips names missing in the remote; it checks the size of every file it copies.
    Mismatch mismatch = Mismatch.of(wanted, copied.arrived());
    if (mismatch.count() > 0) {
      ctx.report().errors(ctx.report().errors() + mismatch.count());
      throw MoverFailure.transfer(mismatch.count() + " file(s) of the backup are missing or have the wrong size in "
          + from + " (first: '" + mismatch.first() + "'); " + cause);
    }
  }

  private static void createTarget(Path data) {
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw MoverFailure.configuration("cannot create MOVER_DATA_DIR '" + data + "': " + e.getMessage());
    }
  }

  /**
   * {@code MOVER_ALLOW_UNVERIFIED_BACKUP=true} only with a named point in time: {@code latest} never picks a folder
   * without marker, and at a fixed path, which other sources and tools share, the backup's objects cannot be told
   * apart without one.
   */
  private static void checkUnverifiedRequest(Settings settings) {
    String point = settings.restorePoint().toLowerCase(java.util.Locale.ROOT);
    if (!settings.allowUnverifiedBackup() || (!point.equals("latest") && !point.equals("fixed"))) {
      return;
    }
    throw MoverFailure.configuration("MOVER_ALLOW_UNVERIFIED_BACKUP=true needs MOVER_RESTORE_POINT set to the"
        + " folder to restore (YYYY-MM-DD-HHMMSS), got '" + settings.restorePoint() + "': "
        + (point.equals("latest") ? "'latest' only ever picks a complete backup"
            : "a fixed path is shared with other sources and tools, so without a completion marker its backup's"
                + " objects cannot be told apart")
        + "; unset MOVER_ALLOW_UNVERIFIED_BACKUP or name the point in time");
  }

  private static void checkTarget(Settings settings) {
    Path data = settings.dataDir();
    String real = data.toString();
    if (SYSTEM_DIRS.contains(real)) {
      throw MoverFailure.refused("MOVER_DATA_DIR '" + settings.rawDataDir() + "' resolves to the system directory '"
          + real + "'; restore into a dedicated volume (e.g. /data)");
    }
    if (KERNEL_FILESYSTEMS.stream().anyMatch(real::startsWith)) {
      throw MoverFailure.refused("MOVER_DATA_DIR '" + settings.rawDataDir() + "' resolves to '" + real
          + "' inside a kernel filesystem; restore into a dedicated volume (e.g. /data)");
    }
    if (Files.exists(data, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(data)) {
      throw MoverFailure.configuration("MOVER_DATA_DIR '" + data + "' exists and is not a directory");
    }
    if (Files.isDirectory(data) && !settings.allowNonEmptyTarget()) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(data)) {
        for (Path entry : entries) {
          if (!entry.getFileName().toString().equals("lost+found")) {
            throw MoverFailure.refused("MOVER_DATA_DIR '" + data + "' is not empty (found '" + entry.getFileName()
                + "'); restore into an empty volume or set MOVER_ALLOW_NONEMPTY_TARGET=true to write into it"
                + " (existing files with the same names are overwritten, others are kept)");
          }
        }
      } catch (IOException e) {
        throw MoverFailure.configuration("cannot read MOVER_DATA_DIR '" + data + "': " + e.getMessage());
      }
    }
  }

  /** Files of a marker that are missing or have another size in a listing (path → size). */
  record Mismatch(long count, String first) {

    static Mismatch of(SortedFile wanted, SortedFile have) {
      long[] count = {0};
      String[] first = {""};
      wanted.leftJoin(have, (file, listed) -> {
        long size = Manifest.File.parse(file.value()).size();
        if (listed.isEmpty() || Listing.Stored.parse(listed.get().value()).size() != size) {
          if (count[0]++ == 0) {
            first[0] = file.key();
          }
        }
      });
      return new Mismatch(count[0], first[0]);
    }
  }

  /** Restores what the marker recorded beyond contents and file times. */
  static final class PosixMetadata {

    private PosixMetadata() {}

    static void apply(Output out, Path data, SortedFile files, SortedFile directories) {
      boolean root = isRoot();
      directories.forEach(e -> {
        try {
          Files.createDirectories(data.resolve(e.key()));
        } catch (IOException x) {
          out.log("warning: cannot create directory '" + e.key() + "'");
        }
      });
      files.forEach(e -> {
        Manifest.File f = Manifest.File.parse(e.value());
        Path path = data.resolve(f.localPath());
        if (root) {
          owner(out, path, f.uid(), f.gid());
        }
        if (!f.link()) {
          mode(out, path, f.mode());
        }
      });
      directories.forEach(e -> {
        Manifest.Directory d = Manifest.Directory.parse(e.value());
        Path path = data.resolve(d.path());
        if (root) {
          owner(out, path, d.uid(), d.gid());
        }
        mode(out, path, d.mode());
      });
      // Directory times last: nothing below changes them any more (deepest first).
      List<Manifest.Directory> all = new java.util.ArrayList<>();
      directories.forEach(e -> all.add(Manifest.Directory.parse(e.value())));
      for (int i = all.size() - 1; i >= 0; i--) {
        Manifest.Directory d = all.get(i);
        d.mtime().ifPresent(t -> {
          try {
            Files.setLastModifiedTime(data.resolve(d.path()), FileTime.from(Instant.parse(t)));
          } catch (IOException | RuntimeException x) {
            out.log("warning: cannot set the time of directory '" + d.path() + "'");
          }
        });
      }
    }

    private static void owner(Output out, Path path, Optional<Long> uid, Optional<Long> gid) {
      if (uid.isEmpty() || gid.isEmpty()) {
        return;
      }
      try {
        Files.setAttribute(path, "unix:uid", uid.get().intValue(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid.get().intValue(), LinkOption.NOFOLLOW_LINKS);
      } catch (IOException | RuntimeException e) {
        out.log("warning: could not give '" + path.getFileName() + "' to " + uid.get() + ":" + gid.get());
      }
    }

    private static void mode(Output out, Path path, Optional<String> mode) {
      if (mode.isEmpty() || !mode.get().matches("[0-7]{3,4}")) {
        return;
      }
      try {
        Files.setAttribute(path, "unix:mode", Integer.parseInt(mode.get(), 8), LinkOption.NOFOLLOW_LINKS);
      } catch (IOException | RuntimeException e) {
        out.log("warning: could not set mode " + mode.get() + " on '" + path.getFileName() + "'");
      }
    }

    static boolean isRoot() {
      try {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
  }
}

package coffee.acupof.datamover.bench.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A deterministic tree of files: the same name, sizes, contents and modification times on every machine, so
 * runs and machines compare. File {@code i} of variant {@code v} always has the same bytes; variant 0 is the
 * tree as generated, variant {@code r + 1} is what round {@code r} of the "1 % changed" scenario writes.
 *
 * @param name short name used in paths and reports, e.g. {@code small-files}
 * @param description what the tree is, for the report
 * @param files number of files
 * @param layout the relative path and size of each file
 */
public record Tree(String name, String description, int files, Layout layout) {
  private static final Instant BASE_TIME = Instant.parse("2025-01-01T00:00:00Z");
  private static final int CHUNK = 1 << 20;

  /** Path and size of file {@code i}. */
  public interface Layout {
    String path(int index);

    long size(int index);
  }

  /** {@code count} files of {@code size} bytes, 100 per directory, ten directories per top-level directory. */
  public static Tree smallFiles(int count, int size) {
    return new Tree("small-files", String.format("%,d files of %,d bytes in nested directories", count, size), count,
        new Layout() {
          @Override
          public String path(int i) {
            return String.format("d%03d/e%02d/f%06d.bin", i / 1000, i / 100 % 10, i);
          }

          @Override
          public long size(int i) {
            return size;
          }
        });
  }

  /** One file of {@code bytes} bytes. */
  public static Tree oneLargeFile(long bytes) {
    return new Tree("one-large-file", String.format("one file of %,d bytes", bytes), 1, new Layout() {
      @Override
      public String path(int i) {
        return "large.bin";
      }

      @Override
      public long size(int i) {
        return bytes;
      }
    });
  }

  /**
   * {@code count} files from 1 KiB to {@code largest} bytes: size classes that double from 1 KiB, each class
   * holding 0.6 times as many files as the one below (at least one), so there are many small files and a few
   * large ones, as on a real volume; sizes vary inside a class, and the largest file has exactly {@code largest}
   * bytes.
   */
  public static Tree mixed(int count, long largest) {
    List<Long> sizes = mixedSizes(count, largest);
    return new Tree("mixed", String.format("%,d files from 1 KiB to %,d bytes (%,d bytes in all)", count, largest,
        sizes.stream().mapToLong(Long::longValue).sum()), count, new Layout() {
          @Override
          public String path(int i) {
            return String.format("m%02d/f%05d.dat", i % 50, i);
          }

          @Override
          public long size(int i) {
            return sizes.get(i);
          }
        });
  }

  private static List<Long> mixedSizes(int count, long largest) {
    int classes = 1 + (int) Math.round(Math.log((double) largest / 1024) / Math.log(2));
    double[] weights = IntStream.range(0, classes).mapToDouble(k -> Math.pow(0.6, k)).toArray();
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    int[] perClass = new int[classes];
    int assigned = 0;
    for (int k = classes - 1; k >= 1; k--) {
      perClass[k] = Math.max(1, (int) Math.round(count * weights[k] / total));
      assigned += perClass[k];
    }
    perClass[0] = count - assigned;
    SplittableRandom random = new SplittableRandom(0x5EED_0F_F11E5L);
    List<Long> sizes = new ArrayList<>(count);
    for (int k = 0; k < classes; k++) {
      long low = 1024L << Math.max(0, k - 1);
      long high = 1024L << k;
      for (int n = 0; n < perClass[k]; n++) {
        sizes.add(k == 0 || k == classes - 1 ? high : low + random.nextLong(high - low + 1));
      }
    }
    // Spread the sizes over the directories instead of grouping them by class.
    for (int i = sizes.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Long swap = sizes.get(i);
      sizes.set(i, sizes.get(j));
      sizes.set(j, swap);
    }
    return List.copyOf(sizes);
  }

  /** Total bytes of the tree. */
  public long bytes() {
    long sum = 0;
    for (int i = 0; i < files; i++) {
      sum += layout.size(i);
    }
    return sum;
  }

  /** A short identity of the tree's content, for the cache stamp. */
  public String identity() {
    return name + "-" + files + "-" + bytes();
  }

  /** Writes every file (variant 0) into {@code dir}, which should be empty. */
  public void generate(Path dir) {
    for (int i = 0; i < files; i++) {
      write(dir, i, 0);
    }
  }

  /**
   * The files round {@code round} of the "1 % changed" scenario rewrites: every hundredth file, a different
   * hundredth each round (one file per round for trees of fewer than 100 files).
   */
  public List<Integer> changedBy(int round) {
    if (files < 100) {
      return List.of(round % files);
    }
    return IntStream.range(0, files).filter(i -> i % 100 == round % 100).boxed().toList();
  }

  /** Rewrites the files of {@link #changedBy(int)} with new content and a newer modification time. */
  public void change(Path dir, int round) {
    changedBy(round).forEach(i -> write(dir, i, round + 1));
  }

  /** Puts back variant 0 of the files that rounds {@code 0..rounds-1} changed. */
  public void revert(Path dir, int rounds) {
    IntStream.range(0, rounds).flatMap(r -> changedBy(r).stream().mapToInt(Integer::intValue)).distinct()
        .forEach(i -> write(dir, i, 0));
  }

  /**
   * Checks that {@code dir} holds exactly this tree's number of files and bytes (contents may be of any
   * variant), so a restore that quietly skipped something does not count as a run.
   */
  public void verify(Path dir, String what) {
    long[] found = new long[2];
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            found[0]++;
            found[1] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + dir, e);
    }
    if (found[0] != files || found[1] != bytes()) {
      throw new IllegalStateException(what + " left " + found[0] + " files / " + found[1] + " bytes in " + dir
          + ", expected the tree " + name + ": " + files + " files / " + bytes() + " bytes");
    }
  }

  private void write(Path dir, int index, int variant) {
    Path file = dir.resolve(layout.path(index));
    long size = layout.size(index);
    SplittableRandom random = new SplittableRandom(((long) name.hashCode() << 32) ^ ((long) index << 8) ^ variant);
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(size, 8)));
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        long left = size;
        while (left > 0) {
          buffer.clear();
          while (buffer.remaining() >= 8) {
            buffer.putLong(random.nextLong());
          }
          buffer.flip();
          buffer.limit((int) Math.min(left, buffer.limit()));
          left -= channel.write(buffer);
        }
      }
      Files.setLastModifiedTime(file, FileTime.from(BASE_TIME.plusSeconds(index).plusSeconds(86_400L * variant)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

package coffee.acupof.datamover.rclonemover;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * (key, value) records sorted by key with no duplicate keys: the mover's only way of holding a list of files, so
 * memory stays bounded whatever the file count. {@link Builder} sorts in chunks of {@value #CHUNK} records and
 * merges them into a temp file (an external merge sort); set operations walk two sorted files side by side. A small
 * list stays in memory while all of them together fit {@link #MEMORY_BUDGET}: most volumes' lists then never touch
 * the disk, and a run over millions of files still uses bounded memory.
 */
public final class SortedFile {

  /** Records held in memory at once while sorting. */
  static final int CHUNK = 50_000;

  /** Estimated bytes that the sorted files kept in memory may take together; later ones live in temp files. */
  static final long MEMORY_BUDGET = 32L << 20;

  private static final AtomicLong MEMORY_LEFT = new AtomicLong(MEMORY_BUDGET);

  /** One record. */
  public record Entry(String key, String value) {}

  private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::key);

  private final Optional<Path> file;
  private final List<Entry> entries;
  private final long size;

  private SortedFile(Optional<Path> file, List<Entry> entries, long size) {
    this.file = file;
    this.entries = entries;
    this.size = size;
  }

  /** Number of records. */
  public long size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Whether the records are kept in memory rather than in a temp file. */
  boolean inMemory() {
    return file.isEmpty();
  }

  /** A builder whose temp files live in {@code dir}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** An empty file. */
  public static SortedFile empty(Path dir) {
    return builder(dir).build();
  }

  /** Calls {@code action} for every record in key order. */
  public void forEach(Consumer<Entry> action) {
    try (Cursor cursor = cursor()) {
      for (Optional<Entry> e = cursor.next(); e.isPresent(); e = cursor.next()) {
        action.accept(e.get());
      }
    }
  }

  /** Calls {@code action} for each key of {@code this} that {@code other} does not hold. */
  public void minus(SortedFile other, Consumer<String> action) {
    try (Cursor a = cursor(); Cursor b = other.cursor()) {
      Optional<Entry> x = a.next();
      Optional<Entry> y = b.next();
      while (x.isPresent()) {
        int c = y.isEmpty() ? -1 : x.get().key().compareTo(y.get().key());
        if (c < 0) {
          action.accept(x.get().key());
          x = a.next();
        } else if (c == 0) {
          x = a.next();
          y = b.next();
        } else {
          y = b.next();
        }
      }
    }
  }

  /** Calls {@code action} for every record of this file with the record of {@code other} that has its key. */
  public void leftJoin(SortedFile other, BiConsumer<Entry, Optional<Entry>> action) {
    try (Cursor a = cursor(); Cursor b = other.cursor()) {
      Optional<Entry> x = a.next();
      Optional<Entry> y = b.next();
      while (x.isPresent()) {
        int c = y.isEmpty() ? -1 : x.get().key().compareTo(y.get().key());
        if (c > 0) {
          y = b.next();
          continue;
        }
        action.accept(x.get(), c == 0 ? y : Optional.empty());
        if (c == 0) {
          y = b.next();
        }
        x = a.next();
      }
    }
  }

  /** The number of keys of {@code this} that {@code other} does not hold. */
  public long countMinus(SortedFile other) {
    long[] n = {0};
    minus(other, key -> n[0]++);
    return n[0];
  }

  /** The first key (in order) that both files hold. */
  public Optional<String> firstCommon(SortedFile other) {
    try (Cursor a = cursor(); Cursor b = other.cursor()) {
      Optional<Entry> x = a.next();
      Optional<Entry> y = b.next();
      while (x.isPresent() && y.isPresent()) {
        int c = x.get().key().compareTo(y.get().key());
        if (c == 0) {
          return Optional.of(x.get().key());
        }
        if (c < 0) {
          x = a.next();
        } else {
          y = b.next();
        }
      }
      return Optional.empty();
    }
  }

  Cursor cursor() {
    return file.<Cursor>map(FileCursor::new).orElseGet(() -> new ListCursor(entries));
  }

  /** Reads records in order. */
  interface Cursor extends AutoCloseable {
    Optional<Entry> next();

    @Override
    void close();
  }

  /** Reads the records of a list kept in memory. */
  private static final class ListCursor implements Cursor {
    private final List<Entry> entries;
    private int next;

    ListCursor(List<Entry> entries) {
      this.entries = entries;
    }

    @Override
    public Optional<Entry> next() {
      return next < entries.size() ? Optional.of(entries.get(next++)) : Optional.empty();
    }

    @Override
    public void close() {}
  }

  /** Reads the records of a temp file. */
  private static final class FileCursor implements Cursor {
    private final DataInputStream in;

    FileCursor(Path file) {
      try {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Optional<Entry> next() {
      try {
        String key = readString(in);
        return Optional.of(new Entry(key, readString(in)));
      } catch (EOFException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Collects records in any order; of several records with one key, one is kept. */
  public static final class Builder {
    private final Path dir;
    private final List<Entry> buffer = new ArrayList<>();
    private final List<Path> chunks = new ArrayList<>();

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder add(String key) {
      return add(key, "");
    }

    public Builder add(String key, String value) {
      buffer.add(new Entry(key, value));
      if (buffer.size() >= CHUNK) {
        spill();
      }
      return this;
    }

    /** Adds every key of {@code other}. */
    public Builder addAll(SortedFile other) {
      other.forEach(e -> add(e.key(), e.value()));
      return this;
    }

    public SortedFile build() {
      if (chunks.isEmpty()) {
        buffer.sort(ORDER); // stable: the first record of a key stays first
        List<Entry> unique = new ArrayList<>(buffer.size());
        long bytes = 0;
        for (Entry e : buffer) {
          if (unique.isEmpty() || !unique.getLast().key().equals(e.key())) {
            unique.add(e);
            bytes += 64 + 2L * (e.key().length() + e.value().length());
          }
        }
        long needed = bytes;
        if (MEMORY_LEFT.getAndUpdate(left -> left >= needed ? left - needed : left) >= needed) {
          buffer.clear();
          return new SortedFile(Optional.empty(), unique, unique.size());
        }
      }
      spill();
      try {
        Path out = Files.createTempFile(dir, "sorted-", ".bin");
        long count = 0;
        List<Cursor> cursors = new ArrayList<>();
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
          PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(h -> h.entry, ORDER));
          for (Path chunk : chunks) {
            Cursor cursor = new FileCursor(chunk);
            cursors.add(cursor);
            cursor.next().ifPresent(e -> heads.add(new Head(e, cursor)));
          }
          String last = null;
          while (!heads.isEmpty()) {
            Head head = heads.poll();
            if (!head.entry.key().equals(last)) {
              writeString(o, head.entry.key());
              writeString(o, head.entry.value());
              last = head.entry.key();
              count++;
            }
            head.cursor.next().ifPresent(e -> heads.add(new Head(e, head.cursor)));
          }
        } finally {
          cursors.forEach(Cursor::close);
          for (Path chunk : chunks) {
            Files.deleteIfExists(chunk);
          }
          chunks.clear();
        }
        return new SortedFile(Optional.of(out), List.of(), count);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void spill() {
      if (buffer.isEmpty() && !chunks.isEmpty()) {
        return;
      }
      buffer.sort(ORDER); // stable: the first record of a key stays first
      try {
        Path chunk = Files.createTempFile(dir, "chunk-", ".bin");
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(chunk), 1 << 16))) {
          String last = null;
          for (Entry e : buffer) {
            if (!e.key().equals(last)) {
              writeString(o, e.key());
              writeString(o, e.value());
              last = e.key();
            }
          }
        }
        chunks.add(chunk);
        buffer.clear();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private record Head(Entry entry, Cursor cursor) {}

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

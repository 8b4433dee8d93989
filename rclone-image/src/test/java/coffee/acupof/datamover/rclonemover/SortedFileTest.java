package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external sort and the set operations the backup's diffs are made of. */
class SortedFileTest {

  @TempDir Path tmp;

  @Test
  void sortsDeduplicatesAndSpillsToDisk() {
    SortedFile.Builder builder = SortedFile.builder(tmp);
    int n = SortedFile.CHUNK * 2 + 17;
    for (int i = n - 1; i >= 0; i--) {
      builder.add(String.format("f/%07d", i), "v" + i);
    }
    builder.add("f/0000003", "duplicate");
    SortedFile sorted = builder.build();
    assertThat(sorted.size()).isEqualTo(n);
    List<String> keys = new ArrayList<>();
    sorted.forEach(e -> keys.add(e.key()));
    assertThat(keys).isSorted().hasSize(n).startsWith("f/0000000", "f/0000001");
    List<String> values = new ArrayList<>();
    sorted.forEach(e -> values.add(e.value()));
    assertThat(values.get(42)).isEqualTo("v42");
    assertThat(values.get(3)).as("one record per key").isIn("v3", "duplicate");
  }

  @Test
  void setOperations() {
    SortedFile a = build("a", "b", "c", "d");
    SortedFile b = build("b", "d", "e");
    List<String> minus = new ArrayList<>();
    a.minus(b, minus::add);
    assertThat(minus).containsExactly("a", "c");
    assertThat(a.countMinus(b)).isEqualTo(2);
    assertThat(b.countMinus(a)).isEqualTo(1);
    assertThat(a.firstCommon(b)).contains("b");
    assertThat(a.firstCommon(build("x", "y"))).isEmpty();
    assertThat(SortedFile.empty(tmp).countMinus(a)).isZero();
  }

  @Test
  void aSmallListStaysInMemoryAndJoinsWithOneOnDisk() {
    SortedFile.Builder large = SortedFile.builder(tmp);
    for (int i = 0; i < SortedFile.CHUNK + 10; i++) {
      large.add(String.format("f/%07d", i), "large " + i);
    }
    SortedFile onDisk = large.build();
    SortedFile.Builder small = SortedFile.builder(tmp);
    small.add("f/0000002", "small 2").add("f/0000001", "small 1").add("g/extra", "small extra")
        .add("f/0000001", "second record of a key");
    SortedFile inMemory = small.build();
    assertThat(onDisk.inMemory()).isFalse();
    assertThat(inMemory.inMemory()).isTrue();
    assertThat(inMemory.size()).isEqualTo(3);

    List<String> joined = new ArrayList<>();
    inMemory.leftJoin(onDisk, (mine, theirs) -> joined.add(mine.value() + " / " + theirs.map(SortedFile.Entry::value)
        .orElse("none")));
    assertThat(joined).containsExactly("small 1 / large 1", "small 2 / large 2", "small extra / none");
    assertThat(inMemory.countMinus(onDisk)).isEqualTo(1);
    assertThat(onDisk.countMinus(inMemory)).isEqualTo(SortedFile.CHUNK + 8);
    assertThat(onDisk.firstCommon(inMemory)).contains("f/0000001");
  }

  @Test
  void namesWithNewlinesAndUnicodeSurvive() {
    SortedFile f = build("line\nbreak", "日本語/ファイル名.txt", "café");
    List<String> keys = new ArrayList<>();
    f.forEach(e -> keys.add(e.key()));
    assertThat(keys).containsExactlyInAnyOrder("line\nbreak", "日本語/ファイル名.txt", "café");
  }

  /**
   * A million-file diff (previous marker minus the current volume, as a fixed-path backup computes its deletions)
   * in a forked JVM limited to a 256 MiB heap.
   */
  @Test
  void aMillionEntryDiffFitsIn256MiB() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, MillionFiles.class.getName(),
        tmp.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("deleted=1000 common=true manifestFiles=1000000");
  }

  /** The forked program of {@link #aMillionEntryDiffFitsIn256MiB}. */
  public static final class MillionFiles {
    public static void main(String[] args) throws IOException {
      Path dir = Path.of(args[0]);
      SortedFile.Builder previous = SortedFile.builder(dir);
      SortedFile.Builder current = SortedFile.builder(dir);
      for (int i = 0; i < 1_000_000; i++) {
        String path = "data/dir-" + (i % 1000) + "/some-longer-file-name-" + i + ".bin";
        String json = new Manifest.File(path, i, java.util.Optional.of("0644"), java.util.Optional.of(999L),
            java.util.Optional.of(999L), false, java.util.Optional.empty()).json();
        previous.add(path, json);
        if (i % 1000 != 7) {
          current.add(path, json);
        }
      }
      current.add("data/new-file", "{}");
      SortedFile prev = previous.build();
      SortedFile cur = current.build();
      Path manifest = dir.resolve("manifest.json");
      Manifest.write(manifest, new Manifest.Header(Manifest.KIND, "s", java.util.Optional.of("r"), "fixed",
          java.util.Optional.empty(), "s3:b", false, "a", "b", "v", prev.size(), 0, 0), SortedFile.empty(dir), prev);
      long[] read = {0};
      Manifest.read(manifest, f -> read[0]++, d -> { }, "test");
      System.out.println("deleted=" + prev.countMinus(cur) + " common=" + prev.firstCommon(cur).isPresent()
          + " manifestFiles=" + read[0] + " heapMax=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
      Files.deleteIfExists(manifest);
    }
  }

  private SortedFile build(String... keys) {
    SortedFile.Builder builder = SortedFile.builder(tmp);
    for (String key : keys) {
      builder.add(key);
    }
    return builder.build();
  }
}

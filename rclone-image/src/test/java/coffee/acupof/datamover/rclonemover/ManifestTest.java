package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Markers written and read as streams, including the ones the bash mover wrote. */
class ManifestTest {

  @TempDir Path tmp;

  private static Path fixture(String path) throws URISyntaxException {
    return Path.of(ManifestTest.class.getResource("/bash-mover-backup/" + path).toURI());
  }

  @Test
  void readsTheBashMoversMarker() throws URISyntaxException {
    List<Manifest.File> files = new ArrayList<>();
    List<Manifest.Directory> dirs = new ArrayList<>();
    Manifest.Header header = Manifest.read(fixture("timestamped/2025-01-02-030405/.datamover/manifest.json"),
        files::add, dirs::add, "fixture");
    assertThat(header.source()).isEqualTo("legacy/pvc");
    assertThat(header.runId()).isEmpty();
    assertThat(header.layout()).isEqualTo("timestamp");
    assertThat(header.pointInTime()).contains("2025-01-02-030405");
    assertThat(header.totalFiles()).isEqualTo(5);
    assertThat(files).extracting(Manifest.File::path).containsExactly("hello.txt", "link-to-file.rclonelink",
        "nested/deeper/file.txt", "nested/random.bin", "ünïcødé/café.txt");
    Manifest.File link = files.get(1);
    assertThat(link.link()).isTrue();
    assertThat(link.localPath()).isEqualTo("link-to-file");
    assertThat(files.getFirst().mode()).contains("0640");
    assertThat(files.getFirst().md5()).isEmpty();
    assertThat(dirs).extracting(Manifest.Directory::path).contains("empty-dir", "nested");
    assertThat(dirs.stream().filter(d -> d.path().equals("nested")).findFirst().orElseThrow().mode())
        .contains("0750");

    Manifest.Header fixed = Manifest.read(fixture("fixed-path/.datamover/sources/legacy_pvc/manifest.json"),
        f -> { }, d -> { }, "fixture");
    assertThat(fixed.layout()).isEqualTo("fixed");
    assertThat(fixed.pointInTime()).isEmpty();
  }

  @Test
  void writesAndReadsBack() {
    SortedFile.Builder files = SortedFile.builder(tmp);
    Manifest.File a = new Manifest.File("b/x.bin", 10, Optional.of("4755"), Optional.of(1L), Optional.of(2L), false,
        Optional.of("0123456789abcdef0123456789abcdef"));
    Manifest.File l = new Manifest.File("a.rclonelink", 3, Optional.of("0777"), Optional.empty(), Optional.empty(),
        true, Optional.empty());
    files.add(a.path(), a.json()).add(l.path(), l.json());
    SortedFile.Builder dirs = SortedFile.builder(tmp);
    Manifest.Directory d = new Manifest.Directory("b", Optional.of("0700"), Optional.of("2021-03-04T04:06:07Z"),
        Optional.of(0L), Optional.of(0L));
    dirs.add(d.path(), d.json());
    Path out = tmp.resolve("m.json");
    Manifest.write(out, new Manifest.Header(Manifest.KIND, "ns/db", Optional.of("uid-1"), "timestamp",
        Optional.of("2026-01-02-030405"), "s3:b/2026-01-02-030405", true, "s", "c", "v1.75.2", 2, 13, 1),
        dirs.build(), files.build());
    List<Manifest.File> read = new ArrayList<>();
    List<Manifest.Directory> readDirs = new ArrayList<>();
    Manifest.Header h = Manifest.read(out, read::add, readDirs::add, "test");
    assertThat(h.runId()).contains("uid-1");
    assertThat(h.encrypted()).isTrue();
    assertThat(read).containsExactly(l, a);
    assertThat(readDirs).containsExactly(d);
    assertThat(Manifest.readHeader(out).orElseThrow().source()).isEqualTo("ns/db");
  }

  @Test
  void aHeaderIsReadFromTheFirstBytesAlone() throws IOException, URISyntaxException {
    byte[] whole = Files.readAllBytes(fixture("timestamped/2025-01-02-030405/.datamover/manifest.json"));
    Path head = tmp.resolve("head.json");
    Files.write(head, java.util.Arrays.copyOf(whole, 600));
    assertThat(Manifest.readHeader(head).orElseThrow().source()).isEqualTo("legacy/pvc");
  }

  @Test
  void brokenMarkersAreRefused() throws IOException {
    Path notJson = Files.writeString(tmp.resolve("x.json"), "not json");
    assertThat(catchThrowable(() -> Manifest.read(notJson, f -> { }, d -> { }, "s3:b/p")))
        .isInstanceOf(MoverFailure.class).hasMessageContaining("not valid JSON");
    Path noFiles = Files.writeString(tmp.resolve("y.json"), "{\"formatVersion\":1}");
    assertThat(catchThrowable(() -> Manifest.read(noFiles, f -> { }, d -> { }, "s3:b/p")))
        .isInstanceOf(MoverFailure.class).hasMessageContaining("no file list");
  }
}

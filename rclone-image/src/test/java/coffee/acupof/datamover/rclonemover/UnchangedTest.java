package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a backup may leave alone: every stamp field, the size and the stored object must agree. */
class UnchangedTest {

  private static final Manifest.Stamp STAMP = new Manifest.Stamp("2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", 7);

  @TempDir Path tmp;

  private static String file(String path, long size, Optional<Manifest.Stamp> stamp, Optional<String> md5) {
    return new Manifest.File(path, size, Optional.of("0644"), Optional.empty(), Optional.empty(), false, md5, stamp)
        .json();
  }

  private SortedFile of(String... keysAndValues) {
    SortedFile.Builder b = SortedFile.builder(tmp);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.add(keysAndValues[i], keysAndValues[i + 1]);
    }
    return b.build();
  }

  private static List<String> keys(SortedFile f) {
    List<String> keys = new ArrayList<>();
    f.forEach(e -> keys.add(e.key()));
    return keys;
  }

  @Test
  void onlyFilesWhoseStampSizeAndObjectAllAgreeAreUnchangedAndTheMarkerTellsWhatChanged() {
    Optional<Manifest.Stamp> s = Optional.of(STAMP);
    Optional<String> md5 = Optional.of("aaaa");
    SortedFile current = of(
        "same", file("same", 10, s, Optional.empty()),
        "new-ctime", file("new-ctime", 10, Optional.of(new Manifest.Stamp(STAMP.mtime(), "2025-02-01T00:00:00Z", 7)),
            Optional.empty()),
        "new-inode", file("new-inode", 10, Optional.of(new Manifest.Stamp(STAMP.mtime(), STAMP.ctime(), 8)),
            Optional.empty()),
        "new-size", file("new-size", 11, s, Optional.empty()),
        "no-stamp-now", file("no-stamp-now", 10, Optional.empty(), Optional.empty()),
        "old-marker", file("old-marker", 10, s, Optional.empty()),
        "object-replaced", file("object-replaced", 10, s, Optional.empty()),
        "object-gone", file("object-gone", 10, s, Optional.empty()),
        "not-in-marker", file("not-in-marker", 10, s, Optional.empty()));
    SortedFile marker = of(
        "same", file("same", 10, s, md5),
        "new-ctime", file("new-ctime", 10, s, md5),
        "new-inode", file("new-inode", 10, s, md5),
        "new-size", file("new-size", 10, s, md5),
        "no-stamp-now", file("no-stamp-now", 10, s, md5),
        "old-marker", file("old-marker", 10, Optional.empty(), md5),
        "object-replaced", file("object-replaced", 10, s, md5),
        "object-gone", file("object-gone", 10, s, md5));
    String stored = new Listing.Stored(10, md5).value();
    SortedFile objects = of("same", stored, "new-ctime", stored, "new-inode", stored, "new-size", stored,
        "no-stamp-now", stored, "old-marker", stored, "object-replaced", new Listing.Stored(10, Optional.of("bbbb")).value());

    Unchanged.Split split = Unchanged.split(tmp, current, marker, objects);

    assertThat(keys(split.unchanged())).containsExactly("same");
    split.unchanged().forEach(e -> assertThat(Manifest.File.parse(e.value()).md5()).contains("aaaa"));
    assertThat(keys(split.changed())).as("known to differ, or not there").containsExactly(
        "new-ctime", "new-inode", "new-size", "not-in-marker", "object-gone", "object-replaced");
    split.changed().forEach(e -> assertThat(Manifest.File.parse(e.value()).md5()).isEmpty());
    assertThat(keys(split.unknown())).as("left to rclone's comparison").containsExactly("no-stamp-now", "old-marker");
  }

  @Test
  void withoutMarkerOrObjectsNothingIsUnchanged() {
    SortedFile current = of("a", file("a", 1, Optional.of(STAMP), Optional.empty()));
    Unchanged.Split split = Unchanged.split(tmp, current, SortedFile.empty(tmp), SortedFile.empty(tmp));
    assertThat(split.unchanged().isEmpty()).isTrue();
    assertThat(keys(split.changed())).as("no object: nothing to compare with").containsExactly("a");
    assertThat(split.unknown().isEmpty()).isTrue();
  }

  @Test
  void stampsRoundTripThroughTheMarkerAndOlderEntriesHaveNone() {
    Manifest.File f = Manifest.File.parse(file("x", 3, Optional.of(STAMP), Optional.of("cc")));
    assertThat(f.stamp()).contains(STAMP);
    assertThat(Manifest.File.parse("{\"path\":\"x\",\"size\":3,\"md5\":\"cc\"}").stamp()).isEmpty();
  }
}

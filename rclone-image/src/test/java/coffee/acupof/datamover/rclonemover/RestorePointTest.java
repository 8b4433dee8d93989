package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which point {@code latest} picks, per source, and when a named point of another source is refused. */
class RestorePointTest {

  private static Catalog.Point point(String name, boolean complete) {
    return new Catalog.Point(name, complete, List.of());
  }

  private static final List<Catalog.Point> POINTS = List.of(
      point("2026-01-05-000000", false),
      point("2026-01-04-000000", true),
      point("2026-01-03-000000", true),
      point("2026-01-02-000000", true),
      point("2026-01-01-000000", true));

  private static final Map<String, String> SOURCES = Map.of(
      "2026-01-04-000000", "ns/b",
      "2026-01-03-000000", "ns/a",
      "2026-01-02-000000", "ns/b",
      "2026-01-01-000000", "ns/a");

  @Test
  void latestOfASourceIsItsNewestCompletePointAndReadingStopsThere() {
    List<String> read = new ArrayList<>();
    RestorePoint.Latest latest = RestorePoint.latestOf(POINTS, Optional.of("ns/a"), name -> {
      read.add(name);
      return Optional.ofNullable(SOURCES.get(name));
    });
    assertThat(latest.chosen()).contains("2026-01-03-000000");
    assertThat(read).containsExactly("2026-01-04-000000", "2026-01-03-000000");
    assertThat(latest.otherSources()).containsExactly("2026-01-04-000000 (source 'ns/b')");
    assertThat(latest.newerIncomplete()).containsExactly("2026-01-05-000000");

    assertThat(RestorePoint.latestOf(POINTS, Optional.of("ns/b"), name -> Optional.ofNullable(SOURCES.get(name)))
        .chosen()).contains("2026-01-04-000000");
  }

  @Test
  void withoutASourceLatestIsTheNewestCompletePointAndNoMarkerIsRead() {
    RestorePoint.Latest latest = RestorePoint.latestOf(POINTS, Optional.empty(), name -> {
      throw new AssertionError("no marker is read without a source");
    });
    assertThat(latest.chosen()).contains("2026-01-04-000000");
  }

  @Test
  void noPointOfTheSourceChoosesNothingAndNamesTheOthers() {
    RestorePoint.Latest latest = RestorePoint.latestOf(POINTS, Optional.of("ns/c"),
        name -> name.equals("2026-01-02-000000") ? Optional.empty() : Optional.ofNullable(SOURCES.get(name)));
    assertThat(latest.chosen()).isEmpty();
    assertThat(latest.otherSources()).containsExactly("2026-01-04-000000 (source 'ns/b')",
        "2026-01-03-000000 (source 'ns/a')", "2026-01-02-000000 (unreadable marker)",
        "2026-01-01-000000 (source 'ns/a')");
  }

  @Test
  void aNamedPointOfAnotherSourceIsRefusedNamingBoth() {
    assertThat(RestorePoint.otherSource("2026-01-04-000000", Optional.of("ns/b"), "ns/a", "s3:b/shared"))
        .hasValueSatisfying(message -> assertThat(message).contains("2026-01-04-000000", "source 'ns/b'",
            "not of 'ns/a'", "give each source its own path"));
    assertThat(RestorePoint.otherSource("2026-01-03-000000", Optional.of("ns/a"), "ns/a", "s3:b/shared")).isEmpty();
    // A marker whose source cannot be read is checked by reading it whole, as every restore does.
    assertThat(RestorePoint.otherSource("2026-01-03-000000", Optional.empty(), "ns/a", "s3:b/shared")).isEmpty();
  }
}

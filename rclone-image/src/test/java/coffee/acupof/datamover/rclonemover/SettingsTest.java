package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared variables, their defaults and their error messages; masking. */
class SettingsTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-03T04:05:06.7Z"), ZoneOffset.UTC);

  private static Settings parse(Map<String, String> vars) {
    return Settings.parse(Operation.BACKUP, new Env(vars, new Masker()), CLOCK);
  }

  @Test
  void defaults() {
    Settings s = parse(Map.of("HOSTNAME", "pod-abc"));
    assertThat(s.dataDir().toString()).isEqualTo("/data");
    assertThat(s.addTimestamp()).isFalse();
    assertThat(s.timestamp()).isEqualTo("2026-02-03-040506");
    assertThat(s.source()).isEqualTo("pod-abc");
    assertThat(s.sourceGiven()).isFalse();
    assertThat(s.allowUnverifiedBackup()).isFalse();
    assertThat(s.runId()).isEqualTo("pod-abc@2026-02-03-040506");
    assertThat(s.restorePoint()).isEqualTo("latest");
    assertThat(s.maxDeletePercent()).isEqualTo(50);
    assertThat(s.progressInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void runIdAndSourceId() {
    Settings s = parse(Map.of("MOVER_SOURCE", "prod/db", "MOVER_TIMESTAMP", "2026-01-02-030405"));
    assertThat(s.sourceId()).isEqualTo("prod_db");
    assertThat(s.sourceGiven()).isTrue();
    assertThat(s.runId()).isEqualTo("prod_db@2026-01-02-030405");
    assertThat(Settings.safeId(s.runId())).isEqualTo("prod_db_2026-01-02-030405");
    assertThat(parse(Map.of("MOVER_RUN_ID", "8c1f-uid", "MOVER_SOURCE", "x")).runId()).isEqualTo("8c1f-uid");
    assertThat(Settings.safeId("..")).isEqualTo("default");
  }

  @Test
  void errorsNameTheVariable() {
    assertThat(catchThrowable(() -> parse(Map.of("MOVER_TIMESTAMP", "2026-02-30-000000"))))
        .hasMessageContaining("MOVER_TIMESTAMP must be a UTC time formatted YYYY-MM-DD-HHMMSS");
    assertThat(catchThrowable(() -> parse(Map.of("ADD_TIMESTAMP_PREFIX", "yes"))))
        .hasMessage("configuration error: ADD_TIMESTAMP_PREFIX must be true or false, got 'yes'");
    assertThat(catchThrowable(() -> parse(Map.of("MOVER_MAX_DELETE_PERCENT", "150"))))
        .hasMessageContaining("MOVER_MAX_DELETE_PERCENT must be a whole number from 0 to 100");
    assertThat(catchThrowable(() -> parse(Map.of("MOVER_PROGRESS_INTERVAL", "soon"))))
        .hasMessageContaining("MOVER_PROGRESS_INTERVAL must be a duration");
  }

  @Test
  void durations() {
    assertThat(Env.parseDuration("36h")).contains(Duration.ofHours(36));
    assertThat(Env.parseDuration("14d")).contains(Duration.ofDays(14));
    assertThat(Env.parseDuration("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(Env.parseDuration("2w")).contains(Duration.ofDays(14));
    assertThat(Env.parseDuration("90")).isEmpty();
    assertThat(Env.parseDuration("-1h")).isEmpty();
  }

  @Test
  void realpathResolvesTheExistingPart() {
    assertThat(Settings.realpath("//usr/./lib/").toString()).isEqualTo("/usr/lib");
    assertThat(Settings.realpath("/nonexistent/a/../b").toString()).isEqualTo("/nonexistent/b");
  }

  @Test
  void maskingLongestFirstAndNotBooleans() {
    Masker m = new Masker();
    m.add("abcd");
    m.add("abcdefgh");
    m.add("true");
    m.add("abc");
    assertThat(m.mask("abcdefgh abcd true abc")).isEqualTo("*** *** true abc");
    assertThat(Masker.looksSecret("REMOTE_SECRET_ACCESS_KEY")).isTrue();
    assertThat(Masker.looksSecret("sas_url")).isTrue();
    assertThat(Masker.looksSecret("endpoint")).isFalse();
  }
}

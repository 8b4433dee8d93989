package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-command summary of a run's rclone calls. */
class RcloneCallsTest {

  @Test
  void summarisesCallsPerCommandInTheOrderOfFirstUse() {
    RcloneCalls calls = new RcloneCalls();
    calls.record("version", 40_000_000L);
    calls.record("lsjson", 300_000_000L);
    calls.record("copy", 5_000_000_000L);
    calls.record("lsjson", 600_000_000L);
    assertThat(calls.count()).isEqualTo(4);
    assertThat(calls.summary()).isEqualTo(
        "4 rclone call(s), 5.94 s: version 1× 0.04 s, lsjson 2× 0.90 s, copy 1× 5.00 s");
  }
}

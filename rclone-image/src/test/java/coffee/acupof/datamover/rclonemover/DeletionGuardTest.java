package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeletionGuardTest {

  @Test
  void refusesMoreThanTheAllowedShare() {
    assertThat(DeletionGuard.check(51, 100, 50, "ns/db", "s3:b")).hasValueSatisfying(m -> assertThat(m)
        .contains("would delete 51 of the 100 files (51%)", "'ns/db'", "MOVER_MAX_DELETE_PERCENT=50",
            "MOVER_MAX_DELETE_PERCENT=100"));
    assertThat(DeletionGuard.check(10, 10, 99, "s", "w")).isPresent();
  }

  @Test
  void allowsUpToTheShare() {
    assertThat(DeletionGuard.check(50, 100, 50, "s", "w")).isEmpty();
    assertThat(DeletionGuard.check(1, 2, 50, "s", "w")).isEmpty();
    assertThat(DeletionGuard.check(100, 100, 100, "s", "w")).isEmpty();
    assertThat(DeletionGuard.check(0, 100, 0, "s", "w")).isEmpty();
    assertThat(DeletionGuard.check(5, 0, 0, "s", "w")).as("no previous backup").isEmpty();
  }

  @Test
  void zeroPercentRefusesAnyDeletion() {
    assertThat(DeletionGuard.check(1, 1000, 0, "s", "w")).isPresent();
  }
}

package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The claim decisions of issue 7 for every interleaving of two runs that want the same folder. */
class ClaimsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String FOLDER = "s3:b/2026-01-01-000000";

  private static Claims.Claim claim(String run, int second) {
    return new Claims.Claim(run, T0.plusSeconds(second), Optional.of("ns/" + run));
  }

  @Test
  void anEmptyFolderIsClaimed() {
    assertThat(Claims.beforeClaim(FOLDER, false, false, Optional.empty(), Optional.empty(), List.of(), "a"))
        .isInstanceOf(Claims.Decision.Proceed.class);
  }

  @Test
  void aFolderClaimedByAnotherRunIsRefused() {
    Claims.Decision d = Claims.beforeClaim(FOLDER, true, false, Optional.empty(), Optional.empty(),
        List.of(claim("b", 0)), "a");
    assertThat(d).isInstanceOfSatisfying(Claims.Decision.Refuse.class, r -> assertThat(r.message())
        .contains("already claimed by another run", "source 'ns/b'", "MOVER_PATH"));
  }

  @Test
  void dataWithoutAClaimIsRefused() {
    assertThat(Claims.beforeClaim(FOLDER, true, false, Optional.empty(), Optional.empty(), List.of(), "a"))
        .isInstanceOfSatisfying(Claims.Decision.Refuse.class, r -> assertThat(r.message())
            .contains("data that no run of this source claimed"));
    // A complete backup of another source (e.g. written by the bash mover, without a run id).
    assertThat(Claims.beforeClaim(FOLDER, true, true, Optional.empty(), Optional.of("ns/old"), List.of(), "a"))
        .isInstanceOfSatisfying(Claims.Decision.Refuse.class, r -> assertThat(r.message())
            .contains("complete backup of source 'ns/old'", "without a run id"));
  }

  @Test
  void aRetryOfTheSameRunGoesOn() {
    assertThat(Claims.beforeClaim(FOLDER, true, false, Optional.empty(), Optional.empty(), List.of(claim("a", 0)),
        "a")).isInstanceOf(Claims.Decision.Proceed.class);
    // Completed before (marker with this run id, claim already removed): a rerun rewrites it.
    assertThat(Claims.beforeClaim(FOLDER, true, true, Optional.of("a"), Optional.of("ns/a"), List.of(), "a"))
        .isInstanceOf(Claims.Decision.Proceed.class);
    // The retry claimed first; a later claimant does not block it (that one fails by itself).
    assertThat(Claims.beforeClaim(FOLDER, true, false, Optional.empty(), Optional.empty(),
        List.of(claim("a", 0), claim("b", 5)), "a")).isInstanceOf(Claims.Decision.Proceed.class);
    assertThat(Claims.beforeClaim(FOLDER, true, false, Optional.empty(), Optional.empty(),
        List.of(claim("a", 5), claim("b", 0)), "a")).isInstanceOf(Claims.Decision.Refuse.class);
  }

  @Test
  void ofTwoSimultaneousClaimsTheEarlierWins() {
    List<Claims.Claim> both = List.of(claim("b", 1), claim("a", 0));
    assertThat(Claims.afterClaim(FOLDER, both, "a")).isInstanceOf(Claims.Decision.Proceed.class);
    assertThat(Claims.afterClaim(FOLDER, both, "b")).isInstanceOfSatisfying(Claims.Decision.Refuse.class,
        r -> assertThat(r.message()).contains("claimed at the same moment", "run a"));
  }

  @Test
  void theSameServerSecondIsDecidedByRunId() {
    List<Claims.Claim> both = List.of(claim("zeta", 0), claim("alpha", 0));
    assertThat(Claims.afterClaim(FOLDER, both, "alpha")).isInstanceOf(Claims.Decision.Proceed.class);
    assertThat(Claims.afterClaim(FOLDER, both, "zeta")).isInstanceOf(Claims.Decision.Refuse.class);
  }

  @Test
  void aClaimThatIsNotListedAfterWritingIsRefused() {
    assertThat(Claims.afterClaim(FOLDER, List.of(), "a")).isInstanceOf(Claims.Decision.Refuse.class);
  }

  @Test
  void afterTheCopy() {
    assertThat(Claims.afterCopy(List.of(claim("a", 0)), "a")).isEqualTo(Claims.AfterCopy.ALONE);
    // b claimed after a had checked: a must re-check its files before its marker; b must fail.
    List<Claims.Claim> both = List.of(claim("a", 0), claim("b", 3));
    assertThat(Claims.afterCopy(both, "a")).isEqualTo(Claims.AfterCopy.FIRST_WITH_OTHERS);
    assertThat(Claims.afterCopy(both, "b")).isEqualTo(Claims.AfterCopy.LATER);
  }
}

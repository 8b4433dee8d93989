package coffee.acupof.datamover.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void theMedianOfAnOddCountIsTheMiddleSampleAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
    assertThat(Summary.of(List.of(9.0, 1.0, 5.0))).extracting(Summary::median, Summary::min, Summary::max, Summary::runs)
        .containsExactly(5.0, 1.0, 9.0, 3);
    assertThat(Summary.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void samplesKeepTheirOrderOfMeasurement() {
    assertThat(Summary.of(List.of(3.0, 1.0, 2.0)).samples()).containsExactly(3.0, 1.0, 2.0);
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> hundred = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
    assertThat(Summary.percentile(hundred, 50)).isEqualTo(50.0);
    assertThat(Summary.percentile(hundred, 99)).isEqualTo(99.0);
    assertThat(Summary.percentile(hundred, 100)).isEqualTo(100.0);
    assertThat(Summary.percentile(List.of(0.3, 0.1, 0.2), 99)).isEqualTo(0.3);
  }

  @Test
  void nothingToSummariseIsAnError() {
    assertThatThrownBy(() -> Summary.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}

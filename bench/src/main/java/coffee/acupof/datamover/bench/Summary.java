package coffee.acupof.datamover.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, minimum, maximum and the counted samples of one measured quantity. Benchmarks quote medians and
 * ratios of medians, never a single run.
 */
public record Summary(double median, double min, double max, int runs, List<Double> samples) {

  public Summary {
    samples = List.copyOf(samples);
  }

  /** The summary of {@code values} (at least one). */
  public static Summary of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples to summarise");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Summary(median, sorted.getFirst(), sorted.getLast(), n, values);
  }

  /** The nearest-rank percentile {@code p} (0 &lt; p &le; 100) of {@code values} (at least one). */
  public static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples for a percentile");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
  }
}

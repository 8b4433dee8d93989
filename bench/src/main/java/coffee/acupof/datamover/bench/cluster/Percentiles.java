package coffee.acupof.datamover.bench.cluster;

import coffee.acupof.datamover.bench.Summary;
import java.util.List;

/** Latency percentiles (nearest rank) of many objects, in seconds. */
public record Percentiles(double p50, double p90, double p99, double max, int count) {

  static Percentiles of(List<Double> values) {
    List<Double> known = values.stream().filter(v -> !v.isNaN()).toList();
    if (known.isEmpty()) {
      return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    return new Percentiles(Summary.percentile(known, 50), Summary.percentile(known, 90), Summary.percentile(known, 99),
        Summary.percentile(known, 100), known.size());
  }
}

package coffee.acupof.datamover.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads the Prometheus text exposition format that kube-apiserver, MinIO, S3Proxy and the operator's Actuator
 * serve: counters before and after a run give the requests the run made.
 */
public final class Prometheus {

  /** One sample line: metric name, labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private Prometheus() {}

  /** GETs {@code url} (no authentication) and parses the answer. */
  public static List<Sample> scrape(String url) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + url, e);
    }
  }

  /** Parses the text format; comment lines and lines that are not samples are skipped. */
  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      parseLine(line).ifPresent(samples::add);
    }
    return samples;
  }

  /**
   * The sum of {@code metric}'s samples grouped by what {@code key} makes of their labels (e.g. one label's
   * value), sorted by key.
   */
  public static Map<String, Double> sumBy(List<Sample> samples, String metric, Function<Map<String, String>, String> key) {
    Map<String, Double> sums = new TreeMap<>();
    for (Sample sample : samples) {
      if (sample.name().equals(metric)) {
        sums.merge(key.apply(sample.labels()), sample.value(), Double::sum);
      }
    }
    return sums;
  }

  /** The sum of all samples of {@code metric}. */
  public static double sum(List<Sample> samples, String metric) {
    return samples.stream().filter(s -> s.name().equals(metric)).mapToDouble(Sample::value).sum();
  }

  /** {@code after - before} per key, dropping keys that did not change. */
  public static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new TreeMap<>();
    after.forEach((key, value) -> {
      double change = value - before.getOrDefault(key, 0.0);
      if (change != 0) {
        delta.put(key, change);
      }
    });
    return delta;
  }

  private static Optional<Sample> parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int end = parseLabels(line, brace + 1, labels);
      rest = line.substring(end + 1).strip();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    }
    String value = rest.split("\\s+")[0];
    try {
      return Optional.of(new Sample(name, labels, Double.parseDouble(value)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Reads {@code a="x",b="y"} from {@code start}; returns the index of the closing brace. */
  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = line.indexOf('"', eq) + 1;
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
    }
    return i;
  }
}

package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The metric names that the Grafana dashboard and the alerts of the prometheus overlay query. A
 * labelled series appears in a scrape only once something counted it, so each integration test checks
 * the names of the kinds it exercised.
 */
final class MonitoringQueries {
  private static final Pattern METRIC = Pattern.compile("\\bdatamover_[a-z_]+");

  private MonitoringQueries() {}

  /** Every {@code datamover_*} name in a dashboard panel's or an alert's expression. */
  @SuppressWarnings("unchecked")
  static Set<String> metricNames() throws IOException {
    Path overlay = TestCluster.repoRoot().resolve("deploy/kustomize/overlays/prometheus");
    List<String> queries = new ArrayList<>();
    var dashboard = JsonParser.parseString(Files.readString(overlay.resolve("grafana-dashboard.json"))).getAsJsonObject();
    for (var panel : dashboard.getAsJsonArray("panels")) {
      for (var target : panel.getAsJsonObject().getAsJsonArray("targets")) {
        queries.add(target.getAsJsonObject().get("expr").getAsString());
      }
    }
    Map<String, Object> rule = new Yaml().load(Files.readString(overlay.resolve("prometheusrule.yaml")));
    for (Object group : (List<Object>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
      for (Object r : (List<Object>) ((Map<String, Object>) group).get("rules")) {
        queries.add((String) ((Map<String, Object>) r).get("expr"));
      }
    }
    assertThat(queries).hasSizeGreaterThan(10);
    Set<String> used = new TreeSet<>();
    Matcher names = METRIC.matcher(String.join("\n", queries));
    while (names.find()) {
      used.add(names.group());
    }
    return used;
  }

  /** Each queried name that {@code which} selects has a series in {@code scrape}. */
  static void assertExported(String scrape, Predicate<String> which) throws IOException {
    Set<String> checked = new TreeSet<>();
    for (String name : metricNames()) {
      if (which.test(name)) {
        checked.add(name);
        assertThat(scrape.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")))
            .as("metric %s, used by a query, is exported", name)
            .isTrue();
      }
    }
    assertThat(checked).as("queried metrics this test checks").isNotEmpty();
  }
}

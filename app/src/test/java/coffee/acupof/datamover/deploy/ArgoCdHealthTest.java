package coffee.acupof.datamover.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.it.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.yaml.snakeyaml.Yaml;

/**
 * The Argo CD health checks of deploy/argocd run (in LuaJ, as Argo CD runs them in gopher-lua: the
 * object as the global {@code obj}, the result a table with {@code status} and {@code message})
 * against sample objects of every kind, and the argocd-cm patch holds exactly the scripts of health/.
 */
class ArgoCdHealthTest {
  private static final Path DIR = TestCluster.repoRoot().resolve("deploy/argocd");

  static Stream<Arguments> samples() {
    return Stream.of(
        // kind, sample (YAML), expected health, expected message part
        Arguments.of("DataMover", "metadata: {generation: 1}", "Progressing", "Waiting for the DataMover operator"),
        Arguments.of("DataMover", run("CreatingPod", "False", "True", "False", "Mover Job x running"), "Progressing", "running"),
        Arguments.of("DataMover", run("Pending", "False", "True", "False", "Waiting for a mover slot: 2 of 2"), "Progressing", "mover slot"),
        Arguments.of("DataMover", run("Completed", "True", "False", "False", "Backup written"), "Healthy", "Backup written"),
        Arguments.of("DataMover", run("Failed", "False", "False", "True", "mover Job failed"), "Degraded", "mover Job failed"),
        Arguments.of("DataMoverRestore", run("Restoring", "False", "True", "False", "Restoring 2026-01-02-030405"), "Progressing", "Restoring"),
        Arguments.of("DataMoverRestore", run("Completed", "True", "False", "False", "Restored"), "Healthy", "Restored"),
        Arguments.of("DataMoverRestore", run("Failed", "False", "False", "True", "no complete point in time"), "Degraded", "no complete point"),
        Arguments.of("DataMoverRestore", "metadata: {generation: 2}\nstatus: {observedGeneration: 1, conditions: [{type: Ready, status: 'True'}]}",
            "Progressing", "generation 2"),
        Arguments.of("DataMoverSchedule", schedule("false", "Ready: 'True'", "Next run at 2026-01-02T02:00Z"), "Healthy", "Next run at"),
        Arguments.of("DataMoverSchedule", schedule("true", "Ready: 'True'", "Suspended"), "Suspended", "Suspended"),
        Arguments.of("DataMoverSchedule", schedule("false", "Stalled: 'True'", "schedule '0 25 * * *': Value 25 not in range"), "Degraded", "Value 25"),
        Arguments.of("DataMoverSchedule", schedule("false", "LastBackupSucceeded: 'False'", "Run x: mover failed"), "Degraded", "The last backup failed"),
        Arguments.of("DataMoverSchedule", schedule("true", "RetentionSucceeded: 'False'", "prune failed"), "Degraded", "Retention fails"),
        Arguments.of("DataMoverSchedule", "metadata: {generation: 3}\nspec: {}\nstatus: {observedGeneration: 2, conditions: []}", "Progressing", "generation 3"));
  }

  private static String run(String phase, String ready, String reconciling, String stalled, String message) {
    return """
        metadata: {generation: 1}
        status:
          phase: %s
          observedGeneration: 1
          message: "%s"
          conditions:
            - {type: Ready, status: '%s', message: "%s"}
            - {type: Reconciling, status: '%s'}
            - {type: Stalled, status: '%s', message: "%s"}
        """.formatted(phase, message, ready, message, reconciling, stalled, message);
  }

  /** A schedule with Ready and Stalled as given by {@code condition} (one of them), others normal. */
  private static String schedule(String suspend, String condition, String message) {
    String[] c = condition.split(": ");
    String ready = c[0].equals("Ready") ? c[1] : c[0].equals("Stalled") ? "'False'" : "'True'";
    String stalled = c[0].equals("Stalled") ? "'True'" : "'False'";
    String extra = c[0].equals("LastBackupSucceeded") || c[0].equals("RetentionSucceeded")
        ? "    - {type: " + c[0] + ", status: " + c[1] + ", message: \"" + message + "\"}\n" : "";
    return """
        metadata: {generation: 1}
        spec: {suspend: %s}
        status:
          observedGeneration: 1
          conditions:
            - {type: Ready, status: %s, message: "%s"}
            - {type: Stalled, status: %s, message: "%s"}
        %s""".formatted(suspend, ready, message, stalled, message, extra.indent(0));
  }

  @ParameterizedTest(name = "{0} {2}: {3}")
  @MethodSource("samples")
  void theHealthCheckReadsTheConditions(String kind, String sample, String health, String message) throws IOException {
    LuaValue result = evaluate(Files.readString(DIR.resolve("health/" + kind + ".lua")), new Yaml().load(sample));

    assertThat(result.get("status").tojstring()).isEqualTo(health);
    assertThat(result.get("message").tojstring()).contains(message);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theArgoCdConfigMapPatchHoldsExactlyTheScripts() throws IOException {
    Map<String, Object> configMap = new Yaml().load(Files.readString(DIR.resolve("argocd-cm.yaml")));
    Map<String, String> data = (Map<String, String>) configMap.get("data");

    assertThat(data).hasSize(3);
    for (String kind : List.of("DataMover", "DataMoverSchedule", "DataMoverRestore")) {
      assertThat(data.get("resource.customizations.health.datamover.a-cup-of.coffee_" + kind))
          .as(kind)
          .isEqualTo(Files.readString(DIR.resolve("health/" + kind + ".lua")));
    }
  }

  private static LuaValue evaluate(String script, Object object) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(object));
    return globals.load(script).call();
  }

  /** YAML values as Lua values: maps become tables, lists 1-based tables, as Argo CD converts objects. */
  @SuppressWarnings("unchecked")
  private static LuaValue lua(Object value) {
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      ((Map<String, Object>) map).forEach((k, v) -> table.set(k, lua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, lua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Integer i) {
      return LuaValue.valueOf(i);
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    return value == null ? LuaValue.NIL : LuaValue.valueOf(value.toString());
  }
}

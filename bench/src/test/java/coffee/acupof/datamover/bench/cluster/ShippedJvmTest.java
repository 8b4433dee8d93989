package coffee.acupof.datamover.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.Rclone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image and the Deployment run the JVM the way the benchmark measured as "shipped": the same runtime flags
 * in the Dockerfile's training run and ENTRYPOINT, an AOT cache exactly when the variant has one, and the
 * Deployment's memory settings and limit that every measured variant emulates.
 */
class ShippedJvmTest {
  private static final Path REPO = Rclone.repositoryRoot();
  private static final JvmVariant SHIPPED = JvmVariant.named(JvmVariant.SHIPPED);

  @Test
  void theImageRunsTheShippedVariant() throws IOException {
    String dockerfile = Files.readString(REPO.resolve("app/Dockerfile"));
    List<String> entrypoint = entrypoint(dockerfile);

    assertThat(entrypoint).startsWith("java").endsWith("-jar", "/app/datamover-operator.jar");
    assertThat(entrypoint).containsAll(SHIPPED.runtimeFlags());
    assertThat(entrypoint.stream().filter(f -> f.startsWith("-XX:+Use") && f.endsWith("GC")).toList())
        .containsExactly(SHIPPED.gcFlag());
    assertThat(entrypoint.contains("-XX:TieredStopAtLevel=1")).isEqualTo(SHIPPED.c1Only());
    assertThat(entrypoint.contains("-XX:AOTCache=/app/datamover-operator.aot")).isEqualTo(SHIPPED.aotCache());
    SHIPPED.environment().forEach((name, value) -> assertThat(dockerfile).containsPattern("(?m)^ENV " + name + "=" + value + "$"));
  }

  @Test
  void theCacheIsTrainedWithTheFlagsItRunsWith() throws IOException {
    String dockerfile = Files.readString(REPO.resolve("app/Dockerfile")).replace("\\\n", " ");
    List<String> training = dockerfile.lines().filter(l -> l.contains("-XX:AOTCacheOutput=")).toList();
    if (!SHIPPED.aotCache()) {
      assertThat(training).isEmpty();
      return;
    }
    assertThat(training).hasSize(1);
    List<String> words = List.of(training.getFirst().strip().split("\\s+"));
    assertThat(words).startsWith("RUN", "java").containsAll(SHIPPED.runtimeFlags())
        .contains("-XX:AOTCacheOutput=/app/datamover-operator.aot", "-Dspring.context.exit=onRefresh", "/app/datamover-operator.jar");
    assertThat(dockerfile).contains("-Djarmode=tools -jar datamover-operator.jar extract --destination /app");
  }

  @Test
  void theDeploymentHasTheMemorySettingsEveryVariantEmulates() throws IOException {
    String deployment = Files.readString(REPO.resolve("deploy/kustomize/base/deployment.yaml"));
    Matcher options = Pattern.compile("name: JAVA_TOOL_OPTIONS\\s+value: \"([^\"]*)\"").matcher(deployment);
    assertThat(options.find()).as("JAVA_TOOL_OPTIONS in the Deployment").isTrue();
    List<String> emulated = new ArrayList<>(JvmVariant.POD_MEMORY);
    assertThat(emulated.removeIf(f -> f.equals("-XX:MaxRAM=512m"))).isTrue();
    assertThat(List.of(options.group(1).split("\\s+"))).containsExactlyInAnyOrderElementsOf(emulated);
    Matcher limit = Pattern.compile("limits:\\s+memory: (\\S+)").matcher(deployment);
    assertThat(limit.find()).isTrue();
    assertThat(limit.group(1)).as("the limit that -XX:MaxRAM=512m stands for").isEqualTo("512Mi");
  }

  private static List<String> entrypoint(String dockerfile) {
    Matcher matcher = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(dockerfile);
    assertThat(matcher.find()).as("an exec-form ENTRYPOINT").isTrue();
    List<String> parts = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(matcher.group(1));
    while (quoted.find()) {
      parts.add(quoted.group(1));
    }
    return parts;
  }
}

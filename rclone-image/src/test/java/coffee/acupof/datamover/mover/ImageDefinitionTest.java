package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.testkit.Rclone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built on the build machines (no Docker), so its definition is checked against what the
 * tests exercise: the same rclone version, the jar and the jlink modules the tests use, a non-root user.
 */
class ImageDefinitionTest {

  private static final Path ROOT = Rclone.repositoryRoot();

  @Test
  void dockerfilePinsTheTestedRcloneVersionAndRunsTheJavaMoverAsNonRoot() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("rclone-image/Dockerfile"));
    assertThat(dockerfile).containsPattern("(?m)^FROM rclone/rclone:" + Pattern.quote(Rclone.VERSION) + "\\s*$");
    assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:25-jdk-alpine AS runtime\\s*$");
    assertThat(dockerfile).contains("jlink --add-modules \"$(tr -d ' \\n' < /build/jlink-modules)\"");
    assertThat(dockerfile).containsPattern("(?m)^COPY jlink-modules /build/jlink-modules\\s*$");
    assertThat(dockerfile).containsPattern("(?m)^COPY .*target/datamover-mover\\.jar /opt/datamover/mover\\.jar\\s*$");
    assertThat(dockerfile).containsPattern("(?m)^COPY .*jvm-options /opt/datamover/jvm-options\\s*$");
    assertThat(dockerfile).contains("-XX:AOTCacheOutput=/opt/datamover/mover.aot");
    assertThat(dockerfile).containsPattern("(?m)^RUN apk add --no-cache .*\\bca-certificates\\b.*\\btini\\b");
    assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[\"/sbin/tini\", \"-g\", \"--\", "
        + "\"/usr/local/bin/datamover-mover\"\\]\\s*$");
    assertThat(dockerfile).contains("coffee.acupof.datamover.contract-version=\"1.1\"");
    Matcher user = Pattern.compile("(?m)^USER (\\d+)(?::(\\d+))?\\s*$").matcher(dockerfile);
    assertThat(user.find()).as("USER with a numeric uid").isTrue();
    assertThat(Integer.parseInt(user.group(1))).isEqualTo(65532);
    assertThat(dockerfile).doesNotContainPattern("(?im)^FROM\\s+\\S+\\.\\S+/");
    assertThat(dockerfile).doesNotContain("entrypoint.sh");
    String launcher = Files.readString(ROOT.resolve("rclone-image/datamover-mover.sh"));
    assertThat(launcher).contains("exec /opt/datamover/jre/bin/java @/opt/datamover/jvm-options")
        .contains("-XX:AOTCache=/opt/datamover/mover.aot").contains("-jar /opt/datamover/mover.jar \"$@\"");
    assertThat(ROOT.resolve("rclone-image/entrypoint.sh")).doesNotExist();
  }

  @Test
  void testInstallerPinsTheSameVersion() throws IOException {
    String script = Files.readString(ROOT.resolve("hack/rclone.sh"));
    assertThat(script).containsPattern("(?m)^RCLONE_VERSION=" + Pattern.quote(Rclone.VERSION) + "$");
  }

  @Test
  void contractRevisionIsDocumentedAndStamped() throws IOException {
    assertThat(Files.readString(ROOT.resolve("docs/mover-contract.md"))).contains("Contract version 1")
        .contains("1.1");
    assertThat(coffee.acupof.datamover.rclonemover.Main.CONTRACT_REVISION).isEqualTo("1.1");
  }
}

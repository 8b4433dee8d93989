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
 * tests exercise: the same rclone version, the same entrypoint, a non-root user.
 */
class ImageDefinitionTest {

  private static final Path ROOT = Rclone.repositoryRoot();

  @Test
  void dockerfilePinsTheTestedRcloneVersionAndRunsTheEntrypointAsNonRoot() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("rclone-image/Dockerfile"));
    assertThat(dockerfile).containsPattern("(?m)^FROM rclone/rclone:" + Pattern.quote(Rclone.VERSION) + "\\s*$");
    assertThat(dockerfile).containsPattern("(?m)^RUN apk add --no-cache .*\\bbash\\b.*\\bjq\\b.*\\bca-certificates\\b");
    assertThat(dockerfile).containsPattern("(?m)^COPY .*entrypoint\\.sh /usr/local/bin/datamover-mover\\s*$");
    assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[.*\"/usr/local/bin/datamover-mover\"\\]\\s*$");
    Matcher user = Pattern.compile("(?m)^USER (\\d+)(?::(\\d+))?\\s*$").matcher(dockerfile);
    assertThat(user.find()).as("USER with a numeric uid").isTrue();
    assertThat(Integer.parseInt(user.group(1))).isNotZero();
    assertThat(dockerfile).doesNotContainPattern("(?im)^FROM\\s+\\S+\\.\\S+/");
  }

  @Test
  void testInstallerPinsTheSameVersion() throws IOException {
    String script = Files.readString(ROOT.resolve("hack/rclone.sh"));
    assertThat(script).containsPattern("(?m)^RCLONE_VERSION=" + Pattern.quote(Rclone.VERSION) + "$");
  }

  @Test
  void entrypointDeclaresContractVersionOne() throws IOException {
    String entrypoint = Files.readString(ROOT.resolve("rclone-image/entrypoint.sh"));
    assertThat(entrypoint).startsWith("#!/usr/bin/env bash\n");
    assertThat(entrypoint).containsPattern("(?m)^readonly CONTRACT_VERSION=1$");
    assertThat(entrypoint).containsPattern("(?m)^set -euo pipefail$");
    assertThat(Files.readString(ROOT.resolve("docs/mover-contract.md"))).contains("Contract version 1");
  }
}

package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RcloneEnvironmentTest {
  private static final Path WORK = Path.of("/tmp/mover-work");

  @Test
  void theMoverDefaultsApplyWhereTheEnvironmentIsSilent() {
    Map<String, String> env = Main.rcloneEnvironment(Map.of("MOVER_PATH", "backups", "AWS_CA_BUNDLE", "/ca.pem"), WORK);

    assertThat(env)
        .containsEntry("RCLONE_TRANSFERS", "8")
        .containsEntry("RCLONE_S3_NO_HEAD", "true")
        .containsEntry("RCLONE_CACHE_DIR", "/tmp/mover-work/cache")
        .containsEntry("MOVER_PATH", "backups")
        .doesNotContainKey("AWS_CA_BUNDLE");
  }

  @Test
  void whatTheUserSetsWins() {
    Map<String, String> env = Main.rcloneEnvironment(Map.of("RCLONE_TRANSFERS", "2", "RCLONE_S3_NO_HEAD", "false"), WORK);

    assertThat(env).containsEntry("RCLONE_TRANSFERS", "2").containsEntry("RCLONE_S3_NO_HEAD", "false");
  }
}

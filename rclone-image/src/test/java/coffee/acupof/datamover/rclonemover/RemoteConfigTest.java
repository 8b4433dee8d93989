package coffee.acupof.datamover.rclonemover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three configuration forms, crypt, and what becomes a secret to mask — without rclone or a server. */
class RemoteConfigTest {

  private static final String PROVIDERS = """
      [{"Name":"s3","Options":[{"Name":"secret_access_key","IsPassword":false}]},
       {"Name":"sftp","Options":[{"Name":"pass","IsPassword":true},{"Name":"host","IsPassword":false}]},
       {"Name":"crypt","Options":[{"Name":"password","IsPassword":true},{"Name":"password2","IsPassword":true}]}]
      """;

  @TempDir Path work;
  final Masker masker = new Masker();
  final ScriptedRclone rclone = new ScriptedRclone(call -> switch (call.args().getFirst()) {
    case "config" -> ScriptedRclone.Answer.ok(PROVIDERS);
    case "obscure" -> ScriptedRclone.Answer.ok("OBSCURED-" + new String(call.stdin().orElseThrow(),
        StandardCharsets.UTF_8).length() + "\n");
    case "--config" -> ScriptedRclone.Answer.ok("store:\nother:\n");
    default -> ScriptedRclone.Answer.ok("");
  });

  private RemoteConfig parse(Map<String, String> vars) {
    return RemoteConfig.parse(new Env(vars, masker), rclone, work, masker);
  }

  private static Map<String, String> formA() {
    Map<String, String> env = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI-secret", "BUCKET_HOST", "minio.example.com", "BUCKET_NAME", "backups", "TLS_HOST", "false"));
    return env;
  }

  @Test
  void formA_oldOperatorVariables() {
    Map<String, String> vars = formA();
    vars.put("MOVER_PATH", "//team//app/");
    RemoteConfig c = parse(vars);
    assertThat(c.remoteName()).isEqualTo("s3");
    assertThat(c.base()).isEqualTo("s3:backups/team/app");
    assertThat(c.root()).isEqualTo(c.base());
    assertThat(c.bucket()).contains("s3:backups");
    assertThat(c.environment()).containsEntry("RCLONE_CONFIG_S3_ENDPOINT", "http://minio.example.com:80")
        .containsEntry("RCLONE_CONFIG_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret")
        .containsEntry("RCLONE_CONFIG_S3_NO_CHECK_BUCKET", "true")
        .containsEntry("RCLONE_CONFIG_S3_FORCE_PATH_STYLE", "true");
    assertThat(c.flags()).doesNotContain("wJalrXUtnFEMI-secret");
    assertThat(masker.mask("key=wJalrXUtnFEMI-secret")).isEqualTo("key=***");
    assertThat(c.display("2026-01-02-030405")).isEqualTo("s3:backups/team/app/2026-01-02-030405");
  }

  @Test
  void formA_defaultsAndErrors() {
    Map<String, String> vars = formA();
    vars.remove("TLS_HOST");
    vars.remove("AWS_ACCESS_KEY_ID");
    vars.remove("AWS_SECRET_ACCESS_KEY");
    RemoteConfig c = parse(vars);
    assertThat(c.endpoint()).isEqualTo("https://minio.example.com:443");
    assertThat(c.environment()).containsEntry("RCLONE_CONFIG_S3_ENV_AUTH", "true");
    assertThat(c.base()).isEqualTo("s3:backups");

    Map<String, String> half = formA();
    half.remove("AWS_ACCESS_KEY_ID");
    assertThat(catchThrowable(() -> parse(half))).hasMessageContaining("set both AWS_ACCESS_KEY_ID");
    Map<String, String> badPath = formA();
    badPath.put("MOVER_PATH", "a/../b");
    assertThat(catchThrowable(() -> parse(badPath))).hasMessageContaining("MOVER_PATH must not contain");
    assertThat(catchThrowable(() -> parse(Map.of("MOVER_PATH", "x"))))
        .isInstanceOf(MoverFailure.class).hasMessageContaining("no remote configured");
  }

  @Test
  void formB_privateCopyOfTheConfigFile() throws IOException {
    Path conf = Files.writeString(work.resolve("mounted.conf"),
        "[store]\ntype = s3\nsecret_access_key = conf-file-secret-1\nendpoint = http://x\n");
    RemoteConfig c = parse(Map.of("MOVER_CONFIG_FILE", conf.toString(), "MOVER_CONFIG_SECTION", "store",
        "MOVER_PATH", "bkt/p", "BUCKET_NAME", "ignored"));
    assertThat(c.remoteName()).isEqualTo("store");
    assertThat(c.base()).isEqualTo("store:bkt/p");
    assertThat(c.configFile()).isNotEqualTo(conf);
    assertThat(Files.getPosixFilePermissions(c.configFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(masker.mask("conf-file-secret-1")).isEqualTo("***");
    assertThat(catchThrowable(() -> parse(Map.of("MOVER_CONFIG_FILE", conf.toString(), "MOVER_CONFIG_SECTION",
        "missing", "MOVER_PATH", "b")))).hasMessageContaining("section 'missing' not found").hasMessageContaining("store");
  }

  @Test
  void formC_remoteVariablesWithPasswordsObscuredThroughStdin() {
    RemoteConfig c = parse(Map.of("REMOTE_TYPE", "sftp", "REMOTE_HOST", "h.example", "REMOTE_PASS", "sftp-pass-123",
        "MOVER_PATH", "/srv/backups"));
    assertThat(c.remoteName()).isEqualTo("remote");
    assertThat(c.base()).isEqualTo("remote:srv/backups");
    assertThat(c.environment()).containsEntry("RCLONE_CONFIG_REMOTE_HOST", "h.example")
        .containsEntry("RCLONE_CONFIG_REMOTE_PASS", "OBSCURED-13");
    assertThat(new String(rclone.stdinOf("obscure").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("sftp-pass-123");
    assertThat(rclone.commandLines()).noneMatch(line -> line.contains("sftp-pass-123"));
    assertThat(masker.mask("sftp-pass-123 OBSCURED-13")).isEqualTo("*** ***");
    assertThat(catchThrowable(() -> parse(Map.of("REMOTE_TYPE", "s4", "MOVER_PATH", "x"))))
        .hasMessageContaining("REMOTE_TYPE 's4' is not an rclone backend");
    assertThat(catchThrowable(() -> parse(Map.of("REMOTE_TYPE", "sftp"))))
        .hasMessageContaining("MOVER_PATH is required");
  }

  @Test
  void cryptLayerOverAnyForm() {
    Map<String, String> vars = formA();
    vars.put("ENCRYPTED_PASSWORD", "crypt-password-1");
    vars.put("ENCRYPTED_FILENAME_ENCRYPTION", "off");
    RemoteConfig c = parse(vars);
    assertThat(c.encrypted()).isTrue();
    assertThat(c.root()).isEqualTo("dmcrypt:");
    assertThat(c.base()).isEqualTo("s3:backups");
    assertThat(c.at("2026-01-02-030405")).isEqualTo("dmcrypt:2026-01-02-030405");
    assertThat(c.display("2026-01-02-030405")).isEqualTo("s3:backups/2026-01-02-030405");
    assertThat(c.environment()).containsEntry("RCLONE_CONFIG_DMCRYPT_REMOTE", "s3:backups")
        .containsEntry("RCLONE_CONFIG_DMCRYPT_PASSWORD", "OBSCURED-16")
        .containsEntry("RCLONE_CONFIG_DMCRYPT_FILENAME_ENCRYPTION", "off");
    assertThat(masker.mask("crypt-password-1")).isEqualTo("***");
  }

  @Test
  void secretLookingPassThroughVariablesAreMasked() {
    Map<String, String> vars = formA();
    vars.put("RCLONE_CONFIG_OTHER_SECRET_ACCESS_KEY", "pass-through-secret");
    vars.put("RCLONE_TRANSFERS", "8");
    parse(vars);
    assertThat(masker.mask("pass-through-secret transfers 8")).isEqualTo("*** transfers 8");
  }

  @Test
  void caBundleMustBePem() throws IOException {
    Map<String, String> vars = formA();
    Path notPem = Files.writeString(work.resolve("ca.txt"), "hello");
    vars.put("MOVER_CA_BUNDLE", notPem.toString());
    assertThat(catchThrowable(() -> parse(vars))).hasMessageContaining("contains no PEM certificate");
    Path pem = Files.writeString(work.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n");
    vars.put("MOVER_CA_BUNDLE", pem.toString());
    assertThat(parse(vars).flags()).containsSubsequence("--ca-cert", pem.toString());
    vars.remove("MOVER_CA_BUNDLE");
    vars.put("AWS_CA_BUNDLE", pem.toString());
    assertThat(parse(vars).caBundle()).contains(pem);
  }
}

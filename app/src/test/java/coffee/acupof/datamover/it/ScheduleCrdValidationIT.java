package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DataMoverSchedule manifests that can never work are refused by the CRD (schema and CEL rules) when a
 * user applies them with kubectl, with a message that says what to fix. (An invalid cron expression
 * or time zone is accepted by the API server and reported by the operator as Stalled: ScheduleIT.)
 */
class ScheduleCrdValidationIT {
  private static final String VALID = "  schedule: \"0 2 * * *\"\n  sourcePvc: data\n  secretName: s3\n";
  private static String ns;

  @BeforeAll
  static void namespace() {
    ns = TestCluster.newNamespace("schedule-crd");
  }

  private static String manifest(String name, String spec) {
    return """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMoverSchedule
        metadata:
          name: %s
        spec:
        %s
        """.formatted(name, spec.stripTrailing());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("no schedule", "  sourcePvc: data\n  secretName: s3", "spec.schedule: Required value"),
        Arguments.of("empty schedule", "  schedule: \"\"\n  sourcePvc: data\n  secretName: s3", "spec.schedule in body should be at least 1 chars long"),
        Arguments.of("no sourcePvc", "  schedule: \"0 2 * * *\"\n  secretName: s3", "spec.sourcePvc: Required value"),
        Arguments.of("no secretName", "  schedule: \"0 2 * * *\"\n  sourcePvc: data",
            "spec needs secretName (a Secret of S3 or REMOTE_* keys) or rcloneConfig (a Secret holding an rclone.conf)"),
        Arguments.of("secretName and rcloneConfig", VALID + "  path: b/data\n  rcloneConfig: {secretName: rclone-secret, section: s3}",
            "set either secretName or rcloneConfig, not both"),
        Arguments.of("rcloneConfig without path", "  schedule: \"0 2 * * *\"\n  sourcePvc: data\n  rcloneConfig: {secretName: rclone-secret, section: s3}",
            "rcloneConfig needs path, the remote path including the bucket (VolSync's rcloneDestPath), e.g. my-bucket/my-pvc"),
        Arguments.of("customCA naming nothing", VALID + "  customCA: {key: ca.crt}", "customCA needs exactly one of secretName and configMapName"),
        Arguments.of("unknown concurrency policy", VALID + "  concurrencyPolicy: Sometimes",
            "Unsupported value: \"Sometimes\": supported values: \"Forbid\", \"Allow\", \"Replace\""),
        Arguments.of("negative starting deadline", VALID + "  startingDeadlineSeconds: -5", "spec.startingDeadlineSeconds in body should be greater than or equal to 0"),
        Arguments.of("negative history limit", VALID + "  successfulJobsHistoryLimit: -1", "spec.successfulJobsHistoryLimit in body should be greater than or equal to 0"),
        Arguments.of("suspend as a string", VALID + "  suspend: \"yes\"", "spec.suspend in body must be of type boolean"),
        Arguments.of("time zone with spaces", VALID + "  timeZone: \"Europe/ Berlin\"", "spec.timeZone in body should match"),
        Arguments.of("retention without timestamps", VALID + "  retention:\n    keepLast: 3",
            "retention needs addTimestampPrefix true, because only point-in-time folders can be pruned"),
        Arguments.of("empty retention", VALID + "  addTimestampPrefix: true\n  retention: {}",
            "retention needs at least one of keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly or keepWithin"),
        Arguments.of("keepLast zero", VALID + "  addTimestampPrefix: true\n  retention:\n    keepLast: 0", "spec.retention.keepLast in body should be greater than or equal to 1"),
        Arguments.of("keepWithin not a duration", VALID + "  addTimestampPrefix: true\n  retention:\n    keepWithin: two weeks", "spec.retention.keepWithin in body should match"),
        Arguments.of("typo in a retention field", VALID + "  addTimestampPrefix: true\n  retention:\n    keepLasst: 3", "unknown field \"spec.retention.keepLasst\""),
        Arguments.of("path set twice", VALID + "  path: shop/db\n  additionalEnv:\n    - name: MOVER_PATH\n      value: shop/other",
            "set the path either in spec.path or as MOVER_PATH in additionalEnv, not both"),
        Arguments.of("path escaping its folder", VALID + "  path: shop/../other", "path must not contain '.' or '..' segments"),
        Arguments.of("invalid pull policy", VALID + "  image:\n    repository: mover\n    pullPolicy: Sometimes", "spec.image.pullPolicy: Unsupported value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void isRefusedWithAUsefulMessage(String what, String spec, String expected) {
    String name = "invalid-" + what.replaceAll("[^a-z]+", "-").replaceAll("-+$", "");
    assertThatThrownBy(() -> Given.kubectlApply(ns, manifest(name, spec))).hasMessageContaining(expected);
  }

  @Test
  void aNameTooLongForTheNamesOfItsRunsIsRefused() {
    assertThatThrownBy(() -> Given.kubectlApply(ns, manifest("n".repeat(49), VALID)))
        .hasMessageContaining("metadata.name must be at most 48 characters");
  }
}

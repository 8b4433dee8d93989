package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifests that can never work are refused by the CRD itself (schema and CEL rules) when a user
 * applies them with kubectl, with a message that says what to fix.
 */
class CrdValidationIT {
  /** A valid VolSync-style spec (an rclone.conf Secret and a remote path), to add a field to. */
  private static final String VOLSYNC = "spec:\n  sourcePvc: data\n  path: volsync-bucket/data\n  rcloneConfig:\n    secretName: rclone-secret\n    section: aws-s3-bucket\n";
  private static String ns;

  @BeforeAll
  static void namespace() {
    ns = TestCluster.newNamespace("crd-validation");
  }

  private static String manifest(String name, String spec) {
    return """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata:
          name: %s
        %s
        """.formatted(name, spec.indent(0).strip());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("no spec", "metadata-only: {}".replace("metadata-only: {}", ""), "spec: Required value"),
        Arguments.of("no sourcePvc", "spec:\n  secretName: s3", "spec.sourcePvc: Required value"),
        Arguments.of("empty sourcePvc", "spec:\n  sourcePvc: \"\"\n  secretName: s3", "spec.sourcePvc in body should be at least 1 chars long"),
        Arguments.of("sourcePvc not a DNS name", "spec:\n  sourcePvc: Web_Data\n  secretName: s3", "spec.sourcePvc in body should match"),
        Arguments.of("no secretName", "spec:\n  sourcePvc: data",
            "spec needs secretName (a Secret of S3 or REMOTE_* keys) or rcloneConfig (a Secret holding an rclone.conf)"),
        Arguments.of("secretName not a DNS name", "spec:\n  sourcePvc: data\n  secretName: \"my secret\"", "spec.secretName in body should match"),
        Arguments.of("boolean as a string", "spec:\n  sourcePvc: data\n  secretName: s3\n  addTimestampPrefix: \"yes\"", "spec.addTimestampPrefix in body must be of type boolean"),
        Arguments.of("typo in a field name", "spec:\n  sourcePVC: data\n  sourcePvc: data\n  secretName: s3", "unknown field \"spec.sourcePVC\""),
        Arguments.of("invalid pull policy", "spec:\n  sourcePvc: data\n  secretName: s3\n  image:\n    repository: mover\n    pullPolicy: Sometimes",
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
        Arguments.of("image without repository", "spec:\n  sourcePvc: data\n  secretName: s3\n  image:\n    tag: \"1.0\"", "spec.image.repository: Required value"),
        Arguments.of("invalid image tag", "spec:\n  sourcePvc: data\n  secretName: s3\n  image:\n    repository: mover\n    tag: \"bad tag\"", "spec.image.tag in body should match"),
        Arguments.of("env without a name", "spec:\n  sourcePvc: data\n  secretName: s3\n  additionalEnv:\n    - value: x", "spec.additionalEnv[0].name: Required value"),
        Arguments.of("env name with a space", "spec:\n  sourcePvc: data\n  secretName: s3\n  additionalEnv:\n    - name: MY VAR\n      value: x", "spec.additionalEnv[0].name in body should match"),
        Arguments.of("env value and valueFrom", "spec:\n  sourcePvc: data\n  secretName: s3\n  additionalEnv:\n    - name: A\n      value: x\n      valueFrom:\n        secretKeyRef: {name: s, key: k}",
            "set either value or valueFrom, not both"),
        Arguments.of("valueFrom with two sources", "spec:\n  sourcePvc: data\n  secretName: s3\n  additionalEnv:\n    - name: A\n      valueFrom:\n        secretKeyRef: {name: s, key: k}\n        configMapKeyRef: {name: c, key: k}",
            "valueFrom needs exactly one of configMapKeyRef, fieldRef, resourceFieldRef or secretKeyRef"),
        Arguments.of("the same env twice", "spec:\n  sourcePvc: data\n  secretName: s3\n  additionalEnv:\n    - name: A\n      value: x\n    - name: A\n      value: y",
            "spec.additionalEnv[1]: Duplicate value"),
        Arguments.of("path escaping its folder", "spec:\n  sourcePvc: data\n  secretName: s3\n  path: shop/../other", "path must not contain '.' or '..' segments"),
        Arguments.of("path with a space", "spec:\n  sourcePvc: data\n  secretName: s3\n  path: \"shop/my data\"", "spec.path in body should match"),
        Arguments.of("path set twice", "spec:\n  sourcePvc: data\n  secretName: s3\n  path: shop/db\n  additionalEnv:\n    - name: MOVER_PATH\n      value: shop/other",
            "set the path either in spec.path or as MOVER_PATH in additionalEnv, not both"),
        Arguments.of("secretName and rcloneConfig", VOLSYNC + "  secretName: s3", "set either secretName or rcloneConfig, not both"),
        Arguments.of("rcloneConfig without path", "spec:\n  sourcePvc: data\n  rcloneConfig: {secretName: rclone-secret, section: s3}",
            "rcloneConfig needs path, the remote path including the bucket (VolSync's rcloneDestPath), e.g. my-bucket/my-pvc"),
        Arguments.of("rcloneConfig with the bucket root as path", "spec:\n  sourcePvc: data\n  path: /\n  rcloneConfig: {secretName: rclone-secret, section: s3}",
            "rcloneConfig needs path, the remote path including the bucket"),
        Arguments.of("rcloneConfig without section", "spec:\n  sourcePvc: data\n  path: b/p\n  rcloneConfig: {secretName: rclone-secret}",
            "spec.rcloneConfig.section: Required value"),
        Arguments.of("rcloneConfig without Secret", "spec:\n  sourcePvc: data\n  path: b/p\n  rcloneConfig: {section: s3}",
            "spec.rcloneConfig.secretName: Required value"),
        Arguments.of("a section rclone cannot name", "spec:\n  sourcePvc: data\n  path: b/p\n  rcloneConfig: {secretName: rclone-secret, section: \"s3:bucket\"}",
            "spec.rcloneConfig.section in body should match"),
        Arguments.of("a Secret key with a slash", "spec:\n  sourcePvc: data\n  path: b/p\n  rcloneConfig: {secretName: rclone-secret, section: s3, key: conf/rclone}",
            "spec.rcloneConfig.key in body should match"),
        Arguments.of("customCA in a Secret and a ConfigMap", VOLSYNC + "  customCA: {secretName: ca, configMapName: ca}",
            "customCA needs exactly one of secretName and configMapName (the Secret or ConfigMap that holds the CA certificate)"),
        Arguments.of("customCA naming nothing", "spec:\n  sourcePvc: data\n  secretName: s3\n  customCA: {key: ca.crt}",
            "customCA needs exactly one of secretName and configMapName"));
  }

  private static String restore(String name, String spec) {
    return """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMoverRestore
        metadata:
          name: %s
        %s
        """.formatted(name, spec.indent(0).strip());
  }

  static Stream<Arguments> invalidRestores() {
    String base = "spec:\n  sourcePvc: data\n  secretName: s3\n";
    return Stream.of(
        Arguments.of("no sourcePvc", "spec:\n  secretName: s3\n  targetPvc: t", "set sourcePvc and secretName or rcloneConfig (whose backups, and how to reach their remote), or scheduleName"),
        Arguments.of("no secretName", "spec:\n  sourcePvc: data\n  targetPvc: t", "set sourcePvc and secretName or rcloneConfig"),
        Arguments.of("schedule and source", "spec:\n  scheduleName: nightly\n  sourcePvc: data\n  targetPvc: t",
            "with scheduleName the source, remote (secretName or rcloneConfig, customCA) and path come from the schedule"),
        Arguments.of("schedule and a CA", "spec:\n  scheduleName: nightly\n  targetPvc: t\n  customCA: {configMapName: ca}",
            "with scheduleName the source, remote (secretName or rcloneConfig, customCA) and path come from the schedule"),
        Arguments.of("secretName and rcloneConfig", VOLSYNC + "  secretName: s3\n  targetPvc: t", "set either secretName or rcloneConfig, not both"),
        Arguments.of("rcloneConfig without path", "spec:\n  sourcePvc: data\n  targetPvc: t\n  rcloneConfig: {secretName: rclone-secret, section: s3}",
            "rcloneConfig needs path, the remote path including the bucket"),
        Arguments.of("customCA in a Secret and a ConfigMap", VOLSYNC + "  targetPvc: t\n  customCA: {secretName: ca, configMapName: ca}",
            "customCA needs exactly one of secretName and configMapName"),
        Arguments.of("a point that is no point", base + "  targetPvc: t\n  pointInTime: yesterday", "spec.pointInTime in body should match"),
        Arguments.of("a point without seconds", base + "  targetPvc: t\n  pointInTime: 2026-11-21-1015", "spec.pointInTime in body should match"),
        Arguments.of("targetPvc not a DNS name", base + "  targetPvc: My_Volume", "spec.targetPvc in body should match"),
        Arguments.of("template without target", base + "  targetPvcTemplate:\n    accessModes: [ReadWriteOnce]\n    resources: {requests: {storage: 1Gi}}",
            "targetPvcTemplate needs targetPvc, the name of the PVC to create"),
        Arguments.of("template without size", base + "  targetPvc: t\n  targetPvcTemplate:\n    accessModes: [ReadWriteOnce]", "spec.targetPvcTemplate.resources: Required value"),
        Arguments.of("template with an unknown access mode", base + "  targetPvc: t\n  targetPvcTemplate:\n    accessModes: [ReadWriteAlways]\n    resources: {requests: {storage: 1Gi}}",
            "Unsupported value: \"ReadWriteAlways\""),
        Arguments.of("template for a block volume", base + "  targetPvc: t\n  targetPvcTemplate:\n    accessModes: [ReadWriteOnce]\n    volumeMode: Block\n    resources: {requests: {storage: 1Gi}}",
            "Unsupported value: \"Block\""),
        Arguments.of("ownership of a PVC it does not create", base + "  targetPvc: t\n  ownTargetPvc: true", "ownTargetPvc applies only to a target created from targetPvcTemplate"),
        Arguments.of("unverified latest", base + "  targetPvc: t\n  allowUnverifiedBackup: true", "allowUnverifiedBackup needs pointInTime to name the folder"),
        Arguments.of("unverified fixed path", base + "  targetPvc: t\n  pointInTime: fixed\n  allowUnverifiedBackup: true", "allowUnverifiedBackup needs pointInTime to name the folder"),
        Arguments.of("path escaping its folder", base + "  targetPvc: t\n  path: a/../b", "path must not contain '.' or '..' segments"),
        Arguments.of("a typo in a field name", base + "  targetPVC: t", "unknown field \"spec.targetPVC\""));
  }

  @ParameterizedTest(name = "restore: {0}")
  @MethodSource("invalidRestores")
  void anInvalidRestoreIsRefusedWithAUsefulMessage(String what, String spec, String expected) {
    String name = "invalid-restore-" + what.replaceAll("[^a-z]+", "-").replaceAll("-+$", "");
    assertThatThrownBy(() -> Given.kubectlApply(ns, restore(name, spec)))
        .hasMessageContaining(expected);
  }

  @Test
  void theSpecOfARestoreCannotChange() {
    Given.kubectlApply(ns, restore("restore-immutable", "spec:\n  sourcePvc: data\n  secretName: s3\n  targetPvc: t"));

    assertThatThrownBy(() -> Given.kubectlApply(ns, restore("restore-immutable", "spec:\n  sourcePvc: data\n  secretName: s3\n  targetPvc: other")))
        .hasMessageContaining("spec is immutable because a restore is a single run");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void isRefusedWithAUsefulMessage(String what, String spec, String expected) {
    String name = "invalid-" + what.replaceAll("[^a-z]+", "-").replaceAll("-+$", "");
    assertThatThrownBy(() -> Given.kubectlApply(ns, manifest(name, spec)))
        .hasMessageContaining(expected);
  }

  @Test
  void theVolSyncStyleFormIsAcceptedAndNamesItsDefaultKeys() {
    Given.kubectlApply(ns, manifest("volsync-style", VOLSYNC + "  customCA: {configMapName: tls-ca}"));
    Given.kubectlApply(ns, restore("volsync-style", VOLSYNC + "  targetPvc: t\n  customCA: {secretName: tls-ca, key: root.pem}"));

    DataMoverSpec spec = TestCluster.get(ns, "volsync-style").getSpec();
    assertThat(spec.secretName()).isNull();
    assertThat(spec.rcloneConfig()).isEqualTo(new RcloneConfigSpec("rclone-secret", "rclone.conf", "aws-s3-bucket"));
    assertThat(spec.customCA()).isEqualTo(new CustomCaSpec(null, "tls-ca", "ca.crt"));
    assertThat(TestCluster.restore(ns, "volsync-style").getSpec().customCA()).isEqualTo(new CustomCaSpec("tls-ca", null, "root.pem"));
  }

  @Test
  void aNameTooLongForTheLabelsOfItsChildrenIsRefused() {
    String name = "n".repeat(64);
    assertThatThrownBy(() -> Given.kubectlApply(ns, manifest(name, "spec:\n  sourcePvc: data\n  secretName: s3")))
        .hasMessageContaining("metadata.name must be at most 63 characters");
  }

  @Test
  void theSpecOfARunCannotChange() {
    Given.kubectlApply(ns, manifest("immutable", "spec:\n  sourcePvc: data\n  secretName: s3"));
    assertThat(TestCluster.get(ns, "immutable").getSpec().timestampPrefix()).isFalse();

    assertThatThrownBy(() -> Given.kubectlApply(ns, manifest("immutable", "spec:\n  sourcePvc: other\n  secretName: s3")))
        .hasMessageContaining("spec is immutable because a DataMover is a single run");
  }
}

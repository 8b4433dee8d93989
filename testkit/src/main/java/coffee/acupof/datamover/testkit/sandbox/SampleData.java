package coffee.acupof.datamover.testkit.sandbox;

import coffee.acupof.datamover.testkit.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** The sandbox's sample: the files of the PVC {@value #PVC} and the manifests a user would apply. */
final class SampleData {
  static final String NAMESPACE = "demo";
  static final String PVC = "sample-data";
  static final String SECRET = "storage-credentials";
  static final String DATAMOVER = "sample-backup";
  static final String RESTORE = "sample-restore";
  static final String RESTORED_PVC = "sample-data-restored";
  static final String SCHEDULE = "sample-schedule";
  static final String BUCKET = "backups";

  private SampleData() {}

  /**
   * Writes a small tree into {@code volume}: nested directories, text files and a binary file.
   *
   * @return relative path to size in bytes, in the order written
   */
  static Map<String, Long> writeFiles(Path volume) {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("README.txt", """
        Sample data of the DataMover sandbox.
        The DataMover demo/sample-backup copies everything in this volume to the bucket "backups".
        """);
    texts.put("config/settings.yaml", """
        shop:
          name: Sandbox Coffee
          currency: EUR
          openingHours: "07:00-18:00"
        """);
    texts.put("data/customers.csv", """
        id,name,city,since
        1,Ada Lovelace,London,2019-03-01
        2,Grace Hopper,Arlington,2020-07-15
        3,Katherine Johnson,Hampton,2021-11-30
        """);
    texts.put("logs/2026-01-15/app.log", """
        2026-01-15T07:00:00Z INFO  shop opened
        2026-01-15T07:03:12Z INFO  order 1001 paid (espresso, 2.40 EUR)
        2026-01-15T18:00:00Z INFO  shop closed
        """);
    Map<String, Long> sizes = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> text : texts.entrySet()) {
        Path file = volume.resolve(text.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.getValue(), StandardCharsets.UTF_8);
        sizes.put(text.getKey(), Files.size(file));
      }
      byte[] binary = new byte[4096];
      new Random(42).nextBytes(binary);
      Path image = volume.resolve("data/images/logo.bin");
      Files.createDirectories(image.getParent());
      Files.write(image, binary);
      sizes.put("data/images/logo.bin", (long) binary.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample files into " + volume, e);
    }
    return sizes;
  }

  /** The namespace, the PVC and the Secret in the old operator's form, pointing at {@code s3}. */
  static String inputsYaml(S3Server s3) {
    return """
        # Inputs of the sandbox's sample backup. Applied with: kubectl apply -f <this file>
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %1$s
        ---
        # The volume to back up. Its storage class is served by the sandbox's played CSI driver, which
        # keeps the data in a directory: volumes/%1$s/%2$s in the sandbox's directory.
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: %2$s
          namespace: %1$s
        spec:
          storageClassName: sandbox-local
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        ---
        # Where to write: the Secret of the Go DataMover Operator, unchanged, pointing at the
        # sandbox's S3 server. The keys were generated for this sandbox only.
        apiVersion: v1
        kind: Secret
        metadata:
          name: %3$s
          namespace: %1$s
        stringData:
          AWS_ACCESS_KEY_ID: %4$s
          AWS_SECRET_ACCESS_KEY: %5$s
          BUCKET_HOST: "%6$s"
          BUCKET_NAME: %7$s
          BUCKET_PORT: "%8$d"
          TLS_HOST: "false"
        """.formatted(NAMESPACE, PVC, SECRET, s3.accessKey(), s3.secretKey(), s3.host(), BUCKET, s3.port());
  }

  /** The DataMover of the sample. */
  static String dataMoverYaml() {
    return """
        # The sandbox's sample backup. Applied with: kubectl apply -f <this file>
        # To run another backup, change metadata.name and apply it again.
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata:
          name: sample-backup
          namespace: demo
        spec:
          sourcePvc: sample-data            # PVC to back up (a clone is taken, the app keeps running)
          secretName: storage-credentials
          addTimestampPrefix: true          # backups/YYYY-MM-DD-HHMMSS/...
          deletePvcAfterBackup: true        # remove the clone once the backup is written
        """;
  }

  /** The DataMoverRestore of the sample: the newest complete backup into a new PVC. */
  static String restoreYaml() {
    return """
        # The sandbox's sample restore. Applied with: kubectl apply -f <this file>
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMoverRestore
        metadata:
          name: %s
          namespace: %s
        spec:
          sourcePvc: %s                # whose backups
          secretName: %s
          pointInTime: latest               # the newest complete backup
          targetPvc: %s     # created from the template below, kept when this object is deleted
          targetPvcTemplate:
            storageClassName: sandbox-local
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 1Gi
        """.formatted(RESTORE, NAMESPACE, PVC, SECRET, RESTORED_PVC);
  }

  static String scheduleYaml() {
    return """
        # The sandbox's sample schedule: a backup every two minutes (and one right away), keeping the
        # newest 3 points in time. Applied with: kubectl apply -f <this file>
        # Run one now: kubectl patch dms -n demo sample-schedule --type merge -p '{"spec":{"manualTrigger":"<any new value>"}}'
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMoverSchedule
        metadata:
          name: sample-schedule
          namespace: demo
        spec:
          schedule: "*/2 * * * *"
          runOnCreation: true
          sourcePvc: sample-data
          secretName: storage-credentials
          addTimestampPrefix: true          # backups/demo/sample-data/YYYY-MM-DD-HHMMSS/...
          deletePvcAfterBackup: true
          successfulJobsHistoryLimit: 3
          retention:
            keepLast: 3                     # after each backup, older points in time are pruned
        """;
  }

  /** Writes {@code text} to {@code file}, readable by the owner only (it may hold credentials). */
  static Path writePrivate(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

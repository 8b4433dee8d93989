package coffee.acupof.datamover.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.testkit.Commands;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * On a machine with Docker: a real k3s cluster, the operator and mover images built from their
 * Dockerfiles and loaded into it, the operator installed with {@code kustomize build
 * deploy/kustomize/overlays/default}, and a backup run by real pods into an in-cluster MinIO.
 * Skipped where Docker is not available (these build machines); every behaviour it touches is also
 * tested without Docker (KustomizeIT, BackupEndToEndIT).
 *
 * <p>k3s's local-path storage does not implement CSI cloning: a clone is provisioned empty. The
 * backup therefore sets {@code MOVER_ALLOW_EMPTY_SOURCE=true} and the test checks the chain (Job,
 * restricted pod, Secret, rclone, termination message, status, completion marker), not the bytes.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sInstallIT {
  private static final String NS = "demo";

  @Container
  static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.34.1-k3s1"));

  @Test
  void installWithKustomizeAndRunABackup() throws Exception {
    Path repo = TestCluster.repoRoot();
    load(new ImageFromDockerfile("datamover/rclone-mover:0.1.0", false).withFileFromPath(".", repo.resolve("rclone-image")).get(), "datamover/rclone-mover:0.1.0");
    load(
        new ImageFromDockerfile("datamover/operator:0.1.0", false)
            .withDockerfile(repo.resolve("app/Dockerfile"))
            .withFileFromPath("app/target/datamover-operator-0.1.0-SNAPSHOT.jar", repo.resolve("app/target/datamover-operator-0.1.0-SNAPSHOT.jar"))
            .get(),
        "datamover/operator:0.1.0");

    Path kubeconfig = Files.createTempFile("k3s", ".yaml");
    Files.writeString(kubeconfig, K3S.getKubeConfigYaml());
    String kustomize = run(repo, null, "bash", "hack/kustomize.sh").strip();
    String install = run(repo, null, kustomize, "build", "deploy/kustomize/overlays/default");
    kubectl(kubeconfig, install, "apply", "--server-side", "-f", "-");
    kubectl(kubeconfig, null, "-n", "datamover-system", "rollout", "status", "deployment/datamover-operator", "--timeout=300s");

    kubectl(kubeconfig, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: demo}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: minio, namespace: demo}
        spec:
          selector: {matchLabels: {app: minio}}
          template:
            metadata: {labels: {app: minio}}
            spec:
              containers:
                - name: minio
                  image: minio/minio:RELEASE.2025-04-22T22-12-26Z
                  command: [sh, -c, "mkdir -p /data/backups && exec minio server /data"]
                  env:
                    - {name: MINIO_ROOT_USER, value: k3s-test-user}
                    - {name: MINIO_ROOT_PASSWORD, value: k3s-test-password}
                  ports: [{containerPort: 9000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: minio, namespace: demo}
        spec:
          selector: {app: minio}
          ports: [{port: 9000, targetPort: 9000}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: storage-credentials, namespace: demo}
        stringData:
          AWS_ACCESS_KEY_ID: k3s-test-user
          AWS_SECRET_ACCESS_KEY: k3s-test-password
          AWS_REGION: us-east-1
          BUCKET_HOST: minio.demo.svc.cluster.local
          BUCKET_NAME: backups
          BUCKET_PORT: "9000"
          TLS_HOST: "false"
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: app-data, namespace: demo}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: local-path
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: writer, namespace: demo}
        spec:
          restartPolicy: Never
          containers:
            - name: writer
              image: busybox:1.37
              command: [sh, -c, "echo hello > /data/hello.txt"]
              volumeMounts: [{name: data, mountPath: /data}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: app-data}}]
        """, "apply", "-f", "-");
    kubectl(kubeconfig, null, "-n", NS, "rollout", "status", "deployment/minio", "--timeout=300s");
    kubectl(kubeconfig, null, "-n", NS, "wait", "pod/writer", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=300s");

    kubectl(kubeconfig, """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMover
        metadata: {name: k3s-backup, namespace: demo}
        spec:
          sourcePvc: app-data
          secretName: storage-credentials
          addTimestampPrefix: true
          additionalEnv:
            - {name: MOVER_ALLOW_EMPTY_SOURCE, value: "true"}
        """, "apply", "-f", "-");

    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(3)).until(() -> {
      String phase = kubectl(kubeconfig, null, "-n", NS, "get", "datamover", "k3s-backup", "-o", "jsonpath={.status.phase}");
      assertThat(phase).as(() -> kubectl(kubeconfig, null, "-n", NS, "get", "datamover", "k3s-backup", "-o", "yaml")).isNotEqualTo("Failed");
      return "Completed".equals(phase);
    });
    assertThat(kubectl(kubeconfig, null, "-n", NS, "get", "datamover", "k3s-backup", "-o", "jsonpath={.status.destination}"))
        .startsWith("s3:backups/");
    assertThat(kubectl(kubeconfig, null, "-n", NS, "wait", "datamover/k3s-backup", "--for=condition=Ready", "--timeout=10s"))
        .contains("condition met");
  }

  /** Loads an image built by the local Docker engine into k3s's containerd. */
  private static void load(String builtImage, String name) throws Exception {
    Path tar = Files.createTempFile("image", ".tar");
    try (InputStream in = DockerClientFactory.instance().client().saveImageCmd(name).exec()) {
      Files.copy(in, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    K3S.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/image.tar");
    var result = K3S.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/image.tar");
    assertThat(result.getExitCode()).as("import %s: %s", builtImage, result.getStderr()).isZero();
    Files.delete(tar);
  }

  private static String kubectl(Path kubeconfig, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(coffee.acupof.datamover.testkit.EnvtestAssets.executable("kubectl").toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return run(TestCluster.repoRoot(), stdin, command.toArray(String[]::new));
  }

  private static String run(Path dir, String stdin, String... command) {
    return Commands.exec(List.of(command), dir, stdin, java.util.Map.of(), Duration.ofMinutes(10)).orThrow().stdout();
  }

}

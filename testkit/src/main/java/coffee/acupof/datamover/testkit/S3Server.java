package coffee.acupof.datamover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 server for tests: <a href="https://github.com/gaul/s3proxy">S3Proxy</a> run as a separate
 * {@code java -jar} process on a free 127.0.0.1 port, storing objects in a private temporary directory.
 *
 * <p>AWS V2/V4 signature authentication is enforced with a generated access key and secret, so a test with
 * wrong credentials fails as it would against real S3. Optionally the server speaks HTTPS with a freshly
 * generated self-signed certificate ({@link Builder#tls(boolean)}); {@link #caCertificate()} then returns it as a
 * PEM file to trust.
 *
 * <p>The S3Proxy jar ({@code org.gaul:s3proxy:<version>:jar:jar-with-dependencies}) is not a class-path
 * dependency: the consuming module copies it with maven-dependency-plugin and passes its path in the system
 * property {@value #JAR_PROPERTY}.
 *
 * <p>The helper methods ({@link #createBucket}, {@link #listObjects}, {@link #getObject}, {@link #putObject},
 * {@link #deleteObject}) run the pinned rclone ({@link Rclone}) against the server, so they see keys as rclone
 * names them. Typical use:
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.start()) {
 *   s3.createBucket("backups");
 *   Map<String, String> env = Map.of(
 *       "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
 *       "BUCKET_HOST", s3.host(), "BUCKET_PORT", String.valueOf(s3.port()), "TLS_HOST", "false",
 *       "BUCKET_NAME", "backups");
 *   // ... run the mover with env, then:
 *   List<String> keys = s3.listObjects("backups");
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {

  /** System property holding the path of the S3Proxy jar-with-dependencies. */
  public static final String JAR_PROPERTY = "s3proxy.jar";

  /** The region the server accepts signatures for. */
  public static final String REGION = "us-east-1";

  private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final String REMOTE = "DMTESTKITS3";

  /** Where S3Proxy keeps the objects. */
  public enum Backend {
    /** Objects are files under a temporary directory (large objects do not use heap). */
    FILESYSTEM,
    /** Objects are kept in S3Proxy's memory. */
    TRANSIENT
  }

  private final Path workDir;
  private final int port;
  private final boolean tls;
  private final String accessKey;
  private final String secretKey;
  private final Path caCertificate;
  private final Integer metricsPort;
  private final LoggedProcess process;
  private final Thread shutdownHook;

  private S3Server(Path workDir, int port, boolean tls, String accessKey, String secretKey, Path caCertificate,
      Integer metricsPort, LoggedProcess process) {
    this.workDir = workDir;
    this.port = port;
    this.tls = tls;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.caCertificate = caCertificate;
    this.metricsPort = metricsPort;
    this.process = process;
    // A test JVM stopped early (Ctrl-C, a fork timeout) must not leave the server running.
    this.shutdownHook = new Thread(process::close, "s3proxy-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a plain-HTTP server with the filesystem backend. */
  public static S3Server start() {
    return builder().start();
  }

  /** Options for a server; {@link Builder#start()} starts it. */
  public static Builder builder() {
    return new Builder();
  }

  /** Options for {@link S3Server}. */
  public static final class Builder {
    private boolean tls;
    private Backend backend = Backend.FILESYSTEM;
    private Path jar;
    private String maxHeap = "512m";
    private boolean metrics;

    private Builder() {}

    /** Serve HTTPS with a generated self-signed certificate for 127.0.0.1 (default: plain HTTP). */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** Where objects are stored (default {@link Backend#FILESYSTEM}). */
    public Builder backend(Backend backend) {
      this.backend = backend;
      return this;
    }

    /** The S3Proxy jar (default: the system property {@value S3Server#JAR_PROPERTY}). */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /** The server JVM's maximum heap, e.g. "512m" (the default). */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = maxHeap;
      return this;
    }

    /**
     * Serve S3Proxy's request metrics (Prometheus text, one histogram per S3 operation) on a second port of
     * 127.0.0.1; see {@link S3Server#metricsUrl()}. Off by default.
     */
    public Builder metrics(boolean metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Starts the server and waits until it accepts connections. */
    public S3Server start() {
      Path jarPath = jar != null ? jar : jarFromProperty();
      Path workDir = createTempDir();
      boolean started = false;
      try {
        Path dataDir = Files.createDirectories(workDir.resolve("objects"));
        String accessKey = "AKDM" + randomHex(8).toUpperCase();
        String secretKey = "s3secret" + randomHex(16);
        int port = FreePorts.next();
        Path ca = null;
        List<String> props = new ArrayList<>();
        props.add("s3proxy.authorization=aws-v2-or-v4");
        props.add("s3proxy.identity=" + accessKey);
        props.add("s3proxy.credential=" + secretKey);
        props.add("s3proxy.ignore-unknown-headers=true");
        if (tls) {
          String storePassword = randomHex(12);
          Path keystore = workDir.resolve("keystore.p12");
          ca = workDir.resolve("ca.pem");
          generateCertificate(workDir, keystore, storePassword, ca);
          props.add("s3proxy.secure-endpoint=https://127.0.0.1:" + port);
          props.add("s3proxy.keystore-path=" + keystore);
          props.add("s3proxy.keystore-password=" + storePassword);
        } else {
          props.add("s3proxy.endpoint=http://127.0.0.1:" + port);
        }
        switch (backend) {
          case FILESYSTEM -> {
            props.add("jclouds.provider=filesystem");
            props.add("jclouds.filesystem.basedir=" + dataDir);
          }
          case TRANSIENT -> props.add("jclouds.provider=transient");
        }
        props.add("jclouds.identity=" + accessKey);
        props.add("jclouds.credential=" + secretKey);
        Integer metricsPort = null;
        if (metrics) {
          metricsPort = FreePorts.next();
          props.add("s3proxy.metrics.enabled=true");
          props.add("s3proxy.metrics.host=127.0.0.1");
          props.add("s3proxy.metrics.port=" + metricsPort);
        }
        Path properties = workDir.resolve("s3proxy.properties");
        Files.write(properties, props, StandardCharsets.UTF_8);
        List<String> command = List.of(javaBinary(), "-Xmx" + maxHeap, "-jar", jarPath.toString(),
            "--properties", properties.toString());
        LoggedProcess process = LoggedProcess.start("s3proxy", command, workDir.resolve("s3proxy.log"));
        S3Server server = new S3Server(workDir, port, tls, accessKey, secretKey, ca, metricsPort, process);
        try {
          server.awaitReady();
        } catch (RuntimeException e) {
          process.close();
          throw e;
        }
        started = true;
        LOG.info("S3Proxy listening on {} (objects in {})", server.endpoint(), dataDir);
        return server;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start S3Proxy", e);
      } finally {
        if (!started) {
          deleteRecursively(workDir);
        }
      }
    }
  }

  /** The endpoint URL, e.g. {@code http://127.0.0.1:41234}. */
  public String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port;
  }

  /** The host to connect to: {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** The TCP port. */
  public int port() {
    return port;
  }

  /** True when the server speaks HTTPS. */
  public boolean tls() {
    return tls;
  }

  /** The access key id that the server accepts. */
  public String accessKey() {
    return accessKey;
  }

  /** The secret access key that the server accepts; a test must never see it in the mover's output. */
  public String secretKey() {
    return secretKey;
  }

  /** The region to sign requests for ({@value #REGION}). */
  public String region() {
    return REGION;
  }

  /** The PEM file of the server's self-signed certificate, to trust as a CA; empty for a plain-HTTP server. */
  public Optional<Path> caCertificate() {
    return Optional.ofNullable(caCertificate);
  }

  /**
   * Where S3Proxy serves its request metrics ({@code http://127.0.0.1:<port>/metrics}), when started with
   * {@link Builder#metrics(boolean)}.
   */
  public Optional<String> metricsUrl() {
    return Optional.ofNullable(metricsPort).map(p -> "http://127.0.0.1:" + p + "/metrics");
  }

  /** The log file of the S3Proxy process. */
  public Path logFile() {
    return process.logFile();
  }

  /**
   * Variables that define an rclone remote named {@code remoteName} for this server
   * ({@code RCLONE_CONFIG_<NAME>_TYPE=s3}, provider, endpoint, keys, path-style access, region).
   */
  public Map<String, String> rcloneEnvironment(String remoteName) {
    String prefix = "RCLONE_CONFIG_" + remoteName.toUpperCase() + "_";
    Map<String, String> env = new LinkedHashMap<>();
    env.put(prefix + "TYPE", "s3");
    env.put(prefix + "PROVIDER", "Other");
    env.put(prefix + "ENDPOINT", endpoint());
    env.put(prefix + "ACCESS_KEY_ID", accessKey);
    env.put(prefix + "SECRET_ACCESS_KEY", secretKey);
    env.put(prefix + "REGION", REGION);
    env.put(prefix + "FORCE_PATH_STYLE", "true");
    return env;
  }

  /** An rclone.conf section {@code [name]} for this server (as a VolSync-style rclone.conf Secret would hold). */
  public String rcloneConfigSection(String name) {
    return "[" + name + "]\n"
        + "type = s3\n"
        + "provider = Other\n"
        + "endpoint = " + endpoint() + "\n"
        + "access_key_id = " + accessKey + "\n"
        + "secret_access_key = " + secretKey + "\n"
        + "region = " + REGION + "\n"
        + "force_path_style = true\n";
  }

  /** Creates a bucket. */
  public void createBucket(String bucket) {
    rclone("create bucket " + bucket, null, "mkdir", REMOTE + ":" + bucket);
  }

  /** All object keys in {@code bucket}, sorted (directory placeholders excluded). */
  public List<String> listObjects(String bucket) {
    return listObjects(bucket, "");
  }

  /**
   * Object keys in {@code bucket} below {@code prefix} (a folder such as {@code "backups/"}; keys are returned
   * relative to the bucket, sorted). A missing prefix gives an empty list.
   */
  public List<String> listObjects(String bucket, String prefix) {
    String folder = prefix.isEmpty() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
    Rclone.Result result = rclone("list " + bucket + "/" + folder, null,
        "lsf", "-R", "--files-only", REMOTE + ":" + bucket + "/" + folder);
    return result.stdoutText().lines()
        .filter(line -> !line.isEmpty() && !line.endsWith("/"))
        .map(line -> folder + line)
        .distinct()
        .sorted()
        .toList();
  }

  /** The bytes of an object, exactly as stored. */
  public byte[] getObject(String bucket, String key) {
    return rclone("read " + bucket + "/" + key, null, "cat", REMOTE + ":" + bucket + "/" + key).stdout();
  }

  /** True when the object exists. */
  public boolean objectExists(String bucket, String key) {
    int slash = key.lastIndexOf('/');
    String folder = slash < 0 ? "" : key.substring(0, slash + 1);
    return listObjects(bucket, folder).contains(key);
  }

  /** Stores an object (overwriting it). */
  public void putObject(String bucket, String key, byte[] content) {
    rclone("write " + bucket + "/" + key, content, "rcat", REMOTE + ":" + bucket + "/" + key);
  }

  /** Deletes an object. */
  public void deleteObject(String bucket, String key) {
    rclone("delete " + bucket + "/" + key, null, "deletefile", REMOTE + ":" + bucket + "/" + key);
  }

  /** Stops the server and deletes its objects. */
  @Override
  public void close() {
    process.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
    deleteRecursively(workDir);
  }

  @Override
  public String toString() {
    return "S3Server[" + endpoint() + "]";
  }

  private Rclone.Result rclone(String what, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("--config", "/dev/null", "--retries", "1"));
    caCertificate().ifPresent(ca -> command.addAll(List.of("--ca-cert", ca.toString())));
    command.addAll(List.of(args));
    return Rclone.run(rcloneEnvironment(REMOTE), stdin, COMMAND_TIMEOUT, command).orThrow(what);
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited with code " + process.exitValue() + ":\n" + process.logTail(40));
      }
      if (logContains("Started Server") && accepts()) {
        return;
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT.toSeconds() + "s:\n"
        + process.logTail(40));
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(process.logFile(), StandardCharsets.UTF_8).contains(text);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void generateCertificate(Path workDir, Path keystore, String password, Path pem) {
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    runTool(workDir, List.of(keytool, "-genkeypair", "-alias", "s3proxy", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "7", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password));
    runTool(workDir, List.of(keytool, "-exportcert", "-rfc", "-alias", "s3proxy", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString()));
  }

  private static void runTool(Path workDir, List<String> command) {
    try {
      Path log = workDir.resolve("keytool.log");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool failed: " + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  private static Path jarFromProperty() {
    String value = System.getProperty(JAR_PROPERTY);
    if (value == null || value.isBlank() || value.contains("${")) {
      throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: the module's pom must copy "
          + "org.gaul:s3proxy:jar:jar-with-dependencies and pass its path");
    }
    Path jar = Paths.get(value);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(JAR_PROPERTY + "=" + jar + " does not exist (run the build through Maven)");
    }
    return jar;
  }

  private static String javaBinary() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("s3proxy-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for S3Proxy", e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}

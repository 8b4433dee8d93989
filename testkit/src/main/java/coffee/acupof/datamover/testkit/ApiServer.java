package coffee.acupof.datamover.testkit;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver run as local processes on
 * 127.0.0.1, without nodes, controllers or a scheduler (like controller-runtime's envtest).
 *
 * <p>The executables come from {@code hack/envtest-assets.sh} (see {@link EnvtestAssets}). Each
 * instance has its own temporary directory holding etcd's data, the generated keys and
 * certificates, the kubeconfig and the log files {@code etcd.log} and {@code kube-apiserver.log}.
 *
 * <p>By default no controller runs: deleting an owner leaves its dependents, Jobs get no pods and
 * deleted namespaces stay Terminating. Tests that need such behaviour run kube-controller-manager with
 * just the controllers they need, via {@link #startWithControllers(String...)} or, on a running server
 * such as {@link #shared()}, {@link #startControllerManager(String...)}; {@link #startScheduler()}
 * runs kube-scheduler and {@link #startSnapshotController()} the external-snapshotter's
 * snapshot-controller. {@link LocalCluster} starts them with the stand-ins for a node and its
 * storage, so that pods run, volumes bind and snapshots are taken.
 *
 * <p>Authentication is a static admin token in group {@code system:masters}; authorization is RBAC.
 * {@link #clientAs(String, String...)} impersonates other users, so a test can check what a
 * ServiceAccount with given RBAC rules may do.
 *
 * <pre>{@code
 * try (ApiServer server = ApiServer.start()) {
 *   new CoreV1Api(server.adminClient()).listNamespace().execute();
 * }
 * // or, shared by all tests of the JVM and stopped at JVM exit:
 * ApiClient client = ApiServer.shared().adminClient();
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  /** User name of the admin token; the token's group is {@code system:masters}. */
  public static final String ADMIN_USER = "datamover-test-admin";

  /**
   * User name that kube-controller-manager authenticates as: its own static token in group
   * {@code system:masters}, so its requests are told apart from the tests' admin requests (e.g. in
   * RBAC errors and the API server log) while the controllers may do anything.
   */
  public static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";

  /** User name that kube-scheduler authenticates as, like {@link #CONTROLLER_MANAGER_USER}. */
  public static final String SCHEDULER_USER = "system:kube-scheduler";

  /**
   * User name that the external-snapshotter's snapshot-controller authenticates as, like
   * {@link #CONTROLLER_MANAGER_USER} (in a cluster it is a ServiceAccount with its own RBAC rules).
   */
  public static final String SNAPSHOT_CONTROLLER_USER = "system:snapshot-controller";

  private static final Duration ETCD_READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration APISERVER_READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMPONENT_READY_TIMEOUT = Duration.ofSeconds(120);
  /** A line of kube-controller-manager's {@code /healthz?verbose} for a started controller. */
  private static final Pattern STARTED_CONTROLLER = Pattern.compile("(?m)^\\[\\+]([a-z0-9-]+-controller) ok$");
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final int LOG_TAIL_LINES = 40;
  private static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

  private static ApiServer shared;

  private final Path workDir;
  private final Path kubectl;
  private final String token;
  private final String controllerManagerToken;
  private final String schedulerToken;
  private final String snapshotControllerToken;
  private final boolean isShared;
  private final Thread shutdownHook = new Thread(this::stop, "stop-test-apiserver");
  private LoggedProcess etcd;
  private String etcdUrl;
  private LoggedProcess apiServer;
  private String url;
  private byte[] caCertificates;
  private Path kubeconfig;
  private boolean stopped;
  private ControllerManager controllerManager;
  private int controllerManagersStarted;
  private Scheduler scheduler;
  private int schedulersStarted;
  private SnapshotController snapshotController;
  private int snapshotControllersStarted;

  private ApiServer(boolean isShared, List<String> controllers) {
    this.isShared = isShared;
    this.kubectl = EnvtestAssets.executable("kubectl");
    this.token = randomToken();
    this.controllerManagerToken = randomToken();
    this.schedulerToken = randomToken();
    this.snapshotControllerToken = randomToken();
    this.workDir = createTempDirectory();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      long started = System.nanoTime();
      startEtcd(EnvtestAssets.executable("etcd"));
      startApiServer(EnvtestAssets.executable("kube-apiserver"));
      kubeconfig = writeKubeconfig(workDir.resolve("kubeconfig"));
      LOG.info("kube-apiserver ready at {} after {} ms (files in {})",
          url, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), workDir);
      if (!controllers.isEmpty()) {
        startControllerManager(controllers.toArray(String[]::new));
      }
    } catch (RuntimeException e) {
      stopProcesses();
      removeShutdownHook();
      throw e;
    }
  }

  /**
   * Starts etcd and kube-apiserver and waits until the API server is ready (a few seconds once the
   * executables are built). Close the returned server to stop both and delete its files.
   *
   * @throws IllegalStateException when a server does not start; the message holds the end of its log
   *     and the directory with the full logs
   */
  public static ApiServer start() {
    return new ApiServer(false, List.of());
  }

  /**
   * Like {@link #start()}, and also runs kube-controller-manager with the given controllers (see
   * {@link #startControllerManager(String...)}) until the server is closed.
   *
   * <pre>{@code
   * try (ApiServer server = ApiServer.startWithControllers("garbagecollector", "namespace")) { ... }
   * }</pre>
   *
   * @throws IllegalArgumentException when no controller is named or a name is blank or holds a comma
   * @throws IllegalStateException when a server does not start; the message holds the end of its log
   */
  public static ApiServer startWithControllers(String... controllers) {
    return new ApiServer(false, controllerList(controllers));
  }

  /**
   * One server for the whole JVM, started on first use and stopped at JVM exit. Calling
   * {@link #close()} on it does nothing, so tests may use it in try-with-resources by mistake
   * without breaking other tests. Tests sharing it should use their own namespaces.
   */
  public static synchronized ApiServer shared() {
    if (shared == null) {
      shared = new ApiServer(true, List.of());
    }
    return shared;
  }

  /** The API server's base URL, e.g. {@code https://127.0.0.1:39123}. */
  public String url() {
    return url;
  }

  /** The admin bearer token (user {@value #ADMIN_USER}, group {@code system:masters}). */
  public String token() {
    return token;
  }

  /**
   * The PEM certificates (serving certificate and its self-signed CA) that kube-apiserver generated;
   * clients trust them to verify TLS.
   */
  public byte[] caCertificates() {
    return caCertificates.clone();
  }

  /** Path of the kubectl executable built for the same Kubernetes version. */
  public Path kubectl() {
    return kubectl;
  }

  /** A kubeconfig file for the admin token (in this server's temporary directory). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The directory with this server's files and the logs {@code etcd.log}, {@code kube-apiserver.log}
   * and, when started, {@code kube-controller-manager-<n>.log}.
   */
  public Path workDir() {
    return workDir;
  }

  /**
   * Writes a kubeconfig for the admin token to {@code target} (parent directories are created) and
   * returns {@code target}. Its single context is current and uses namespace {@code default}; the CA
   * certificates are embedded, so the file stays valid wherever it is copied while the server runs.
   */
  public Path writeKubeconfig(Path target) {
    return writeKubeconfig(target, ADMIN_USER, token);
  }

  private Path writeKubeconfig(Path target, String user, String bearerToken) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: datamover-test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: datamover-test
          context:
            cluster: datamover-test
            user: %s
            namespace: default
        current-context: datamover-test
        """.formatted(url, Base64.getEncoder().encodeToString(caCertificates), user, bearerToken, user);
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      return Files.writeString(target, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + target, e);
    }
  }

  /** A new client authenticated with the admin token, verifying the server's TLS certificate. */
  public ApiClient adminClient() {
    return new ClientBuilder()
        .setBasePath(url)
        .setVerifyingSsl(true)
        .setCertificateAuthority(caCertificates)
        .setAuthentication(new AccessTokenAuthentication(token))
        .build();
  }

  /**
   * A new client that impersonates {@code user} with {@code groups} (headers {@code Impersonate-User}
   * and {@code Impersonate-Group}), so requests are authorized with that user's RBAC grants.
   *
   * <p>The server adds group {@code system:authenticated}; for a ServiceAccount user name without
   * groups it also adds the ServiceAccount groups (see {@link #clientAsServiceAccount}).
   *
   * <p>Do not change the client's TLS settings afterwards: that rebuilds its HTTP client and drops
   * the impersonation headers.
   */
  public ApiClient clientAs(String user, String... groups) {
    ApiClient client = adminClient();
    OkHttpClient impersonating =
        client.getHttpClient().newBuilder()
            .addInterceptor(chain -> chain.proceed(impersonate(chain.request(), user, groups)))
            .build();
    client.setHttpClient(impersonating);
    return client;
  }

  /**
   * A new client that impersonates ServiceAccount {@code name} in {@code namespace}, i.e. user
   * {@code system:serviceaccount:<namespace>:<name>} in groups {@code system:serviceaccounts},
   * {@code system:serviceaccounts:<namespace>} and {@code system:authenticated}.
   */
  public ApiClient clientAsServiceAccount(String namespace, String name) {
    return clientAs("system:serviceaccount:" + namespace + ":" + name);
  }

  private static Request impersonate(Request request, String user, String[] groups) {
    Request.Builder builder = request.newBuilder().header("Impersonate-User", user);
    for (String group : groups) {
      builder.addHeader("Impersonate-Group", group);
    }
    return builder.build();
  }

  /**
   * Applies the manifests in a file, or in the {@code .yaml}/{@code .yml}/{@code .json} files of a
   * directory (not recursive), with {@code kubectl apply --server-side}. When CustomResourceDefinitions
   * were applied, waits until they are Established, so their custom resources can be used at once.
   *
   * @throws IllegalStateException when kubectl fails; the message holds its output
   */
  public void applyYaml(Path fileOrDir) {
    String applied = runKubectl(
        "apply", "--server-side", "--field-manager=datamover-testkit", "-o", "name",
        "-f", fileOrDir.toAbsolutePath().toString());
    List<String> crds = applied.lines()
        .map(String::strip)
        .filter(name -> name.startsWith("customresourcedefinition.apiextensions.k8s.io/"))
        .toList();
    if (!crds.isEmpty()) {
      List<String> wait = new ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=60s"));
      wait.addAll(crds);
      runKubectl(wait.toArray(String[]::new));
    }
  }

  /**
   * Runs kubectl with the admin kubeconfig and returns its stdout.
   *
   * @param args kubectl arguments, e.g. {@code "get", "pods", "-n", "demo"}
   * @throws IllegalStateException when kubectl exits non-zero or takes longer than 3 minutes; the
   *     message holds its stderr
   */
  public String runKubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(
        kubectl.toString(),
        "--kubeconfig=" + kubeconfig,
        "--cache-dir=" + workDir.resolve("kubectl-cache")));
    command.addAll(List.of(args));
    return Commands.run(command, workDir, KUBECTL_TIMEOUT);
  }

  /**
   * Stops kube-apiserver, then etcd, and deletes the temporary directory. Does nothing on the
   * {@link #shared()} instance, which stops at JVM exit.
   */
  @Override
  public void close() {
    if (isShared) {
      LOG.debug("close() ignored on the shared API server; it stops at JVM exit");
      return;
    }
    stop();
    removeShutdownHook();
  }

  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopProcesses();
    deleteRecursively(workDir);
  }

  private void stopProcesses() {
    if (snapshotController != null) {
      snapshotController.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    if (controllerManager != null) {
      controllerManager.close();
    }
    if (apiServer != null) {
      apiServer.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shutdownInProgress) {
      // The hook is running or about to; nothing to remove.
    }
  }

  // --- etcd ---------------------------------------------------------------------------------------

  private void startEtcd(Path executable) {
    int clientPort = FreePorts.next();
    int peerPort = FreePorts.next();
    String clientUrl = "http://127.0.0.1:" + clientPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    etcd = LoggedProcess.start("etcd", List.of(
        executable.toString(),
        "--name=default",
        "--data-dir=" + workDir.resolve("etcd-data"),
        "--listen-client-urls=" + clientUrl,
        "--advertise-client-urls=" + clientUrl,
        "--listen-peer-urls=" + peerUrl,
        "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=default=" + peerUrl,
        "--unsafe-no-fsync=true"),
        workDir.resolve("etcd.log"));
    etcdUrl = clientUrl;
    try (HttpClient http = HttpClient.newHttpClient()) {
      waitUntil(etcd, ETCD_READY_TIMEOUT, () -> etcdIsHealthy(http, clientUrl));
    }
  }

  private static boolean etcdIsHealthy(HttpClient http, String clientUrl) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl + "/health"))
        .timeout(Duration.ofSeconds(2))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
    } catch (IOException notYetListening) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
  }

  // --- kube-apiserver -----------------------------------------------------------------------------

  private void startApiServer(Path executable) {
    Path certDir = workDir.resolve("certs");
    Path tokenFile = writeTokenFile();
    Path signingKey = workDir.resolve("service-account.key");
    Path verificationKey = workDir.resolve("service-account.pub");
    writeServiceAccountKeys(signingKey, verificationKey);
    int port = FreePorts.next();
    apiServer = LoggedProcess.start("kube-apiserver", List.of(
        executable.toString(),
        "--etcd-servers=" + etcdUrl,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + port,
        "--cert-dir=" + certDir,
        "--token-auth-file=" + tokenFile,
        "--authorization-mode=RBAC",
        "--disable-admission-plugins=ServiceAccount",
        "--service-account-key-file=" + verificationKey,
        "--service-account-signing-key-file=" + signingKey,
        "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        // The "kubernetes" Service cannot point at 127.0.0.1 (loopback endpoints are invalid), and there
        // are no pods to use it; without this the log gets an error every 10 seconds.
        "--endpoint-reconciler-type=none"),
        workDir.resolve("kube-apiserver.log"));
    url = "https://127.0.0.1:" + port;
    // Before it serves, kube-apiserver writes its self-signed certificate (with its CA), then the key.
    Path servingKey = certDir.resolve("apiserver.key");
    waitUntil(apiServer, APISERVER_READY_TIMEOUT, () -> isNonEmptyFile(servingKey));
    caCertificates = readBytes(certDir.resolve("apiserver.crt"));
    OkHttpClient http = adminClient().getHttpClient();
    waitUntil(apiServer, APISERVER_READY_TIMEOUT, () -> isReady(http));
  }

  private static boolean isNonEmptyFile(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when the server's {@code /readyz} answers 200 "ok". */
  private boolean isReady(OkHttpClient http) {
    Request request = new Request.Builder()
        .url(url + "/readyz")
        .header("Authorization", "Bearer " + token)
        .build();
    try (Response response = http.newCall(request).execute()) {
      return response.code() == 200 && response.body().string().strip().equals("ok");
    } catch (IOException notYetServing) {
      return false;
    }
  }

  private Path writeTokenFile() {
    // Format: token,user,uid,"group1,group2". The tokens of the controller manager, the scheduler and
    // the snapshot controller are there from the start because kube-apiserver reads this file only
    // once, and they may be started later on a running (e.g. the shared) server.
    String lines = token + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n"
        + controllerManagerToken + "," + CONTROLLER_MANAGER_USER + "," + CONTROLLER_MANAGER_USER
        + ",\"system:masters\"\n"
        + schedulerToken + "," + SCHEDULER_USER + "," + SCHEDULER_USER + ",\"system:masters\"\n"
        + snapshotControllerToken + "," + SNAPSHOT_CONTROLLER_USER + "," + SNAPSHOT_CONTROLLER_USER
        + ",\"system:masters\"\n";
    Path file = workDir.resolve("tokens.csv");
    try {
      return Files.writeString(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writeServiceAccountKeys(Path privateKeyFile, Path publicKeyFile) {
    KeyPair keys = newRsaKeyPair();
    try {
      Files.writeString(privateKeyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      Files.writeString(publicKeyFile, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write service account keys to " + privateKeyFile.getParent(), e);
    }
  }

  private static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM cannot generate RSA keys", e);
    }
  }

  /** PEM text for DER bytes: PKCS#8 for "PRIVATE KEY", X.509 SubjectPublicKeyInfo for "PUBLIC KEY". */
  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  // --- kube-controller-manager and kube-scheduler ------------------------------------------------

  /**
   * Starts kube-controller-manager against this server with just the given controllers and waits
   * until they have started. Works on a running server, including {@link #shared()}; close the
   * returned handle (e.g. in {@code @AfterAll}) to stop it. Closing or stopping the server stops it too.
   *
   * <p>{@code controllers} are values for its {@code --controllers} flag: canonical names such as
   * {@code "garbage-collector-controller"} or the classic aliases such as {@code "garbagecollector"},
   * {@code "job"}, {@code "namespace"}, {@code "persistentvolume-binder"}, {@code "pvc-protection"};
   * also {@code "*"} (all enabled by default) and {@code "-name"} (disable one). Useful ones here:
   * <ul>
   *   <li>{@code garbagecollector}: deleting an owner deletes its dependents (background/foreground
   *       propagation, ownerReferences with the owner's uid; orphaning removes the references);
   *   <li>{@code namespace}: a deleted namespace's contents are deleted and the namespace goes away;
   *   <li>{@code job}: Jobs get pods, with back-off, pod failure policy and active deadline; the pods
   *       stay Pending unless a scheduler and a kubelet stand-in ({@code testkit.node.Kubelet}) run;
   *   <li>{@code persistentvolume-binder}: binds PVCs to PVs and asks external provisioners (such as
   *       {@code testkit.storage.LocalProvisioner}) for new volumes.
   * </ul>
   * {@link LocalCluster#CONTROLLERS} is the set the operator's tests run with.
   *
   * <p>It runs with {@code --leader-elect=false} and {@code --use-service-account-credentials=false}:
   * every controller acts as {@value #CONTROLLER_MANAGER_USER}, whose token is in group
   * {@code system:masters} (without service account credentials, the bootstrap role of that user
   * would not let the controllers change anything; the per-controller roles are bound to service
   * accounts, which this setup does not use). It serves its health checks on a free port of
   * 127.0.0.1; its log is {@code kube-controller-manager-<n>.log} in {@link #workDir()}.
   *
   * <p>Only one controller manager may run per server at a time: two with the same controllers
   * would compete (e.g. both create a Job's pods).
   *
   * @throws IllegalArgumentException when no controller is named or a name is blank or holds a comma
   * @throws IllegalStateException when this server is stopped, a controller manager already runs, or it
   *     does not start (the message holds the end of its log), or a named controller did not start
   */
  public synchronized ControllerManager startControllerManager(String... controllers) {
    List<String> names = controllerList(controllers);
    checkCanStart("kube-controller-manager", controllerManager);
    long started = System.nanoTime();
    String name = "kube-controller-manager-" + (++controllerManagersStarted);
    Started component = startComponent(name, CONTROLLER_MANAGER_USER, controllerManagerToken, List.of(
        "--controllers=" + String.join(",", names),
        "--use-service-account-credentials=false",
        // Only the serviceaccount-token controller uses it; harmless otherwise.
        "--service-account-private-key-file=" + workDir.resolve("service-account.key")));
    try {
      String[] healthz = new String[1];
      waitUntil(component.process(), COMPONENT_READY_TIMEOUT,
          () -> controllersStarted(component.http(), component.url(), healthz));
      List<String> startedControllers = startedControllers(healthz[0]);
      long expected = names.stream().filter(n -> !n.equals("*") && !n.startsWith("-")).distinct().count();
      if (startedControllers.size() < expected) {
        throw startFailure(component.process(), "started only " + startedControllers + " of " + names
            + " (a controller was disabled or skipped, see the log)");
      }
      controllerManager = new ControllerManager(component.process(), names, component.url());
      LOG.info("kube-controller-manager ready at {} after {} ms with controllers {} (log {})",
          component.url(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), startedControllers,
          component.process().logFile());
      return controllerManager;
    } catch (RuntimeException e) {
      component.process().close();
      throw e;
    }
  }

  /** The controller manager running against this server, if one was started and not closed. */
  public synchronized Optional<ControllerManager> controllerManager() {
    return Optional.ofNullable(controllerManager).filter(Component::isRunning);
  }

  /**
   * Starts kube-scheduler against this server and waits until it is ready (its caches are synced).
   * It binds pods to the Nodes that exist (this server has none of its own: a kubelet stand-in such
   * as {@code testkit.node.Kubelet} registers one) and, for a PVC of a {@code WaitForFirstConsumer}
   * storage class, chooses the node and writes it into the PVC's
   * {@code volume.kubernetes.io/selected-node} annotation, as in a cluster.
   *
   * <p>Like the controller manager it runs as a {@code system:masters} user of its own
   * ({@value #SCHEDULER_USER}), without leader election, serving its health checks on a free port of
   * 127.0.0.1; its log is {@code kube-scheduler-<n>.log} in {@link #workDir()}. Close the handle to
   * stop it; closing or stopping the server stops it too. Only one may run per server at a time.
   *
   * @throws IllegalStateException when this server is stopped, a scheduler already runs, or it does
   *     not start (the message holds the end of its log)
   */
  public synchronized Scheduler startScheduler() {
    checkCanStart("kube-scheduler", scheduler);
    long started = System.nanoTime();
    String name = "kube-scheduler-" + (++schedulersStarted);
    Started component = startComponent(name, SCHEDULER_USER, schedulerToken, List.of());
    try {
      waitUntil(component.process(), COMPONENT_READY_TIMEOUT, () -> answersOk(component.http(), component.url() + "/readyz"));
      scheduler = new Scheduler(component.process(), component.url());
      LOG.info("kube-scheduler ready at {} after {} ms (log {})",
          component.url(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), component.process().logFile());
      return scheduler;
    } catch (RuntimeException e) {
      component.process().close();
      throw e;
    }
  }

  /** The scheduler running against this server, if one was started and not closed. */
  public synchronized Optional<Scheduler> scheduler() {
    return Optional.ofNullable(scheduler).filter(Component::isRunning);
  }

  /**
   * Starts the external-snapshotter's snapshot-controller ({@link SnapshotControllerAssets}) against
   * this server and waits until it serves its metrics, which it does once it has found the
   * VolumeSnapshot CRDs and built its controller; install them first
   * ({@code applyYaml(SnapshotControllerAssets.crdDirectory())}), or it exits after 30 seconds. It
   * does for VolumeSnapshots what it does in a cluster: picks the default VolumeSnapshotClass of the
   * source volume's CSI driver, creates and binds a VolumeSnapshotContent per snapshot, mirrors the
   * content's status (readyToUse, restoreSize, creationTime, error) into the snapshot, protects
   * snapshots and their source PVCs with finalizers, and deletes contents by their deletion policy.
   * Taking the snapshot itself is the CSI driver's part (the csi-snapshotter sidecar), played by
   * {@code testkit.storage.LocalSnapshotter} for the test kit's driver.
   *
   * <p>It runs without leader election as a {@code system:masters} user of its own
   * ({@value #SNAPSHOT_CONTROLLER_USER}), with volume group snapshots switched off (their CRDs are
   * not installed; with the feature on it would wait 30 seconds for them at start), serving its
   * metrics over HTTP on a free port of 127.0.0.1; its log is {@code snapshot-controller-<n>.log} in
   * {@link #workDir()}. Close the handle to stop it; closing or stopping the server stops it too. Only
   * one may run per server at a time.
   *
   * @throws IllegalStateException when this server is stopped, a snapshot controller already runs, or
   *     it does not start (the message holds the end of its log)
   */
  public synchronized SnapshotController startSnapshotController() {
    checkCanStart("snapshot-controller", snapshotController);
    Path executable = SnapshotControllerAssets.executable();
    long started = System.nanoTime();
    String name = "snapshot-controller-" + (++snapshotControllersStarted);
    Path kubeconfigFile = workDir.resolve("snapshot-controller.kubeconfig");
    if (!Files.exists(kubeconfigFile)) {
      writeKubeconfig(kubeconfigFile, SNAPSHOT_CONTROLLER_USER, snapshotControllerToken);
    }
    String endpoint = "127.0.0.1:" + FreePorts.next();
    LoggedProcess process = LoggedProcess.start("snapshot-controller", List.of(
        executable.toString(),
        "--kubeconfig=" + kubeconfigFile,
        "--leader-election=false",
        "--feature-gates=CSIVolumeGroupSnapshot=false",
        "--http-endpoint=" + endpoint,
        "--v=2"),
        workDir.resolve(name + ".log"));
    try {
      String componentUrl = "http://" + endpoint;
      OkHttpClient http = new OkHttpClient();
      waitUntil(process, COMPONENT_READY_TIMEOUT, () -> answers200(http, componentUrl + "/metrics"));
      snapshotController = new SnapshotController(process, componentUrl);
      LOG.info("snapshot-controller ready at {} after {} ms (log {})",
          componentUrl, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), process.logFile());
      return snapshotController;
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** The snapshot controller running against this server, if one was started and not closed. */
  public synchronized Optional<SnapshotController> snapshotController() {
    return Optional.ofNullable(snapshotController).filter(Component::isRunning);
  }

  private void checkCanStart(String what, Component running) {
    if (stopped) {
      throw new IllegalStateException("this API server is stopped: " + this);
    }
    if (running != null && running.isRunning()) {
      throw new IllegalStateException(
          "a " + what + " already runs on this API server (" + running + "); close it before starting another");
    }
  }

  /** A component process that serves HTTPS, and a client that trusts its self-signed certificate. */
  private record Started(LoggedProcess process, String url, OkHttpClient http) {}

  /**
   * Starts the Kubernetes component {@code name} ("kube-scheduler-2": the executable's name and a
   * number) as {@code user} with {@code flags} besides the common ones, and waits until it serves HTTPS.
   */
  private Started startComponent(String name, String user, String userToken, List<String> flags) {
    String executableName = name.substring(0, name.lastIndexOf('-'));
    Path executable = EnvtestAssets.executable(executableName);
    Path kubeconfigFile = workDir.resolve(executableName + ".kubeconfig");
    if (!Files.exists(kubeconfigFile)) {
      writeKubeconfig(kubeconfigFile, user, userToken);
    }
    Path certDir = workDir.resolve(name + "-certs");
    int port = FreePorts.next();
    List<String> command = new ArrayList<>(List.of(
        executable.toString(),
        "--kubeconfig=" + kubeconfigFile,
        // Its own endpoints (/metrics etc.) check bearer tokens and RBAC through this API server;
        // /healthz, /readyz and /livez are always allowed. Skip the lookup of client CAs in
        // kube-system/extension-apiserver-authentication: this API server has none, so the ConfigMap is
        // missing and the lookup would log an error every few seconds.
        "--authentication-kubeconfig=" + kubeconfigFile,
        "--authentication-skip-lookup=true",
        "--authorization-kubeconfig=" + kubeconfigFile,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + port,
        "--cert-dir=" + certDir));
    command.addAll(flags);
    LoggedProcess process = LoggedProcess.start(executableName, command, workDir.resolve(name + ".log"));
    try {
      // Like kube-apiserver, it writes its self-signed certificate (with its CA), then the key.
      Path servingKey = certDir.resolve(executableName + ".key");
      waitUntil(process, COMPONENT_READY_TIMEOUT, () -> isNonEmptyFile(servingKey));
      String componentUrl = "https://127.0.0.1:" + port;
      OkHttpClient http = new ClientBuilder()
          .setBasePath(componentUrl)
          .setVerifyingSsl(true)
          .setCertificateAuthority(readBytes(certDir.resolve(executableName + ".crt")))
          .build()
          .getHttpClient();
      return new Started(process, componentUrl, http);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  private static List<String> controllerList(String[] controllers) {
    List<String> names = List.of(controllers);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("name at least one controller, e.g. \"garbagecollector\"");
    }
    for (String name : names) {
      if (name.isBlank() || name.contains(",") || !name.equals(name.strip())) {
        throw new IllegalArgumentException("invalid controller name '" + name + "' in " + names);
      }
    }
    return names;
  }

  /**
   * True once {@code /healthz?verbose} answers 200 and lists a controller: kube-controller-manager
   * adds the checks of all controllers at once, after starting them. Stores the body in {@code body[0]}.
   */
  private static boolean controllersStarted(OkHttpClient http, String managerUrl, String[] body) {
    Request request = new Request.Builder().url(managerUrl + "/healthz?verbose").build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      if (response.code() == 200 && !startedControllers(text).isEmpty()) {
        body[0] = text;
        return true;
      }
      return false;
    } catch (IOException notYetServing) {
      return false;
    }
  }

  /** True when {@code url} answers 200 "ok" without credentials (health endpoints allow that). */
  private static boolean answersOk(OkHttpClient http, String url) {
    try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code() == 200 && response.body().string().strip().equals("ok");
    } catch (IOException notYetServing) {
      return false;
    }
  }

  /** True when {@code url} answers 200. */
  private static boolean answers200(OkHttpClient http, String url) {
    try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code() == 200;
    } catch (IOException notYetServing) {
      return false;
    }
  }

  private static List<String> startedControllers(String healthz) {
    List<String> names = new ArrayList<>();
    Matcher matcher = STARTED_CONTROLLER.matcher(healthz);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /**
   * A Kubernetes component process started against this server. {@link #close()} stops it (also on
   * the shared server); its log file stays until the server stops.
   */
  public class Component implements AutoCloseable {

    private final LoggedProcess process;
    private final String url;

    private Component(LoggedProcess process, String url) {
      this.process = process;
      this.url = url;
    }

    /** Base URL of its health and metrics endpoints, e.g. {@code https://127.0.0.1:40123}. */
    public String url() {
      return url;
    }

    /** Its log file in the server's {@link ApiServer#workDir()}. */
    public Path logFile() {
      return process.logFile();
    }

    /** True until it is closed (or exits on its own). */
    public boolean isRunning() {
      return process.isAlive();
    }

    /** Stops it (SIGTERM, then SIGKILL after 15 seconds). Does nothing when already stopped. */
    @Override
    public void close() {
      synchronized (ApiServer.this) {
        process.close();
        if (controllerManager == this) {
          controllerManager = null;
        }
        if (scheduler == this) {
          scheduler = null;
        }
        if (snapshotController == this) {
          snapshotController = null;
        }
      }
    }

    @Override
    public String toString() {
      return process.name() + "[" + url + ", log " + logFile() + "]";
    }
  }

  /** A kube-controller-manager started by {@link #startControllerManager(String...)}. */
  public final class ControllerManager extends Component {

    private final List<String> controllers;

    private ControllerManager(LoggedProcess process, List<String> controllers, String url) {
      super(process, url);
      this.controllers = controllers;
    }

    /** The controllers as given to {@code --controllers}. */
    public List<String> controllers() {
      return controllers;
    }

    @Override
    public String toString() {
      return "ControllerManager[" + url() + ", controllers " + controllers + ", log " + logFile() + "]";
    }
  }

  /** A kube-scheduler started by {@link #startScheduler()}. */
  public final class Scheduler extends Component {

    private Scheduler(LoggedProcess process, String url) {
      super(process, url);
    }
  }

  /** An external-snapshotter snapshot-controller started by {@link #startSnapshotController()}. */
  public final class SnapshotController extends Component {

    private SnapshotController(LoggedProcess process, String url) {
      super(process, url);
    }
  }

  // --- helpers ------------------------------------------------------------------------------------

  /** A condition checked while waiting; may throw to abort the wait. */
  private interface Condition {
    boolean isMet();
  }

  /**
   * Polls {@code condition} until it holds; fails at once when {@code process} exits and after
   * {@code timeout} otherwise, with the end of the process's log in the message.
   */
  private void waitUntil(LoggedProcess process, Duration timeout, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.isMet()) {
      if (!process.isAlive()) {
        throw startFailure(process, "exited with code " + process.exitValue());
      }
      if (System.nanoTime() > deadline) {
        throw startFailure(process, "was not ready after " + timeout.toSeconds() + "s");
      }
      sleep(POLL_INTERVAL);
    }
  }

  private IllegalStateException startFailure(LoggedProcess process, String what) {
    return new IllegalStateException(
        process.name() + " " + what + "; full logs in " + workDir + " (kept for debugging)."
            + " Last lines of " + process.logFile().getFileName() + ":\n"
            + process.logTail(LOG_TAIL_LINES));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a server to start", e);
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("datamover-apiserver-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "ApiServer[" + url + ", files " + workDir + "]";
  }
}

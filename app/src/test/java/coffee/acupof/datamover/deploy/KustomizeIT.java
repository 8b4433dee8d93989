package coffee.acupof.datamover.deploy;

import static coffee.acupof.datamover.deploy.Manifests.at;
import static coffee.acupof.datamover.deploy.Manifests.list;
import static coffee.acupof.datamover.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.it.TestCluster;
import coffee.acupof.datamover.testkit.ApiServer;
import coffee.acupof.datamover.testkit.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The installation manifests (deploy/kustomize, docs/install.md) against the real test API server:
 * every overlay renders with kustomize v5 ({@code hack/kustomize.sh}) and passes a server-side dry
 * run of {@code kubectl apply}; the operator's pod is admitted under the "restricted" Pod Security
 * Standard; and the RBAC grants the operator's service account exactly what the operator calls
 * ({@code kubectl auth can-i}, answered by the API server's RBAC authorizer) and nothing more.
 *
 * <p>The prometheus overlay's ServiceMonitor and PrometheusRule are checked against STAND-INS for the
 * prometheus-operator CRDs ({@code src/test/resources/deploy/prometheus-operator-crds.yaml}), which
 * cannot be fetched on the build machines: the fields the overlay uses are typed like the real schemas,
 * the rest is left unvalidated. PromQL is not evaluated here.
 *
 * <p>The default overlay is applied for real to the shared API server (there is no controller
 * manager, so its Deployment starts nothing); everything but the CRD and the namespace is deleted
 * again afterwards.
 */
class KustomizeIT {
  private static final String OPERATOR_NAMESPACE = "datamover-system";
  private static final String SERVICE_ACCOUNT = "system:serviceaccount:" + OPERATOR_NAMESPACE + ":datamover-operator";
  /** A namespace where users create DataMovers; permission checks do not need it to exist. */
  private static final String APP_NAMESPACE = "team-a";
  private static final String FIELD_MANAGER = "datamover-kustomize-it";
  private static final String DATAMOVERS = "datamovers.datamover.a-cup-of.coffee";
  private static final String RESTORES = "datamoverrestores.datamover.a-cup-of.coffee";
  private static final String SCHEDULES = "datamoverschedules.datamover.a-cup-of.coffee";
  private static final String STAND_IN_CRDS = "/deploy/prometheus-operator-crds.yaml";

  /** Everything the operator does cluster-wide, as group/resource:verb (group "" is core). */
  private static final Set<String> CLUSTER_GRANTS = Set.of(
      "datamover.a-cup-of.coffee/datamovers:get",
      "datamover.a-cup-of.coffee/datamovers:list",
      "datamover.a-cup-of.coffee/datamovers:watch",
      "datamover.a-cup-of.coffee/datamovers:create",
      "datamover.a-cup-of.coffee/datamovers:delete",
      "datamover.a-cup-of.coffee/datamoverschedules:get",
      "datamover.a-cup-of.coffee/datamoverschedules:list",
      "datamover.a-cup-of.coffee/datamoverschedules:watch",
      "datamover.a-cup-of.coffee/datamoverschedules/status:get",
      "datamover.a-cup-of.coffee/datamoverschedules/status:patch",
      "datamover.a-cup-of.coffee/datamoverschedules/status:update",
      "datamover.a-cup-of.coffee/datamoverschedules/finalizers:update",
      "datamover.a-cup-of.coffee/datamovers/status:get",
      "datamover.a-cup-of.coffee/datamovers/status:patch",
      "datamover.a-cup-of.coffee/datamovers/status:update",
      "datamover.a-cup-of.coffee/datamovers/finalizers:update",
      "datamover.a-cup-of.coffee/datamoverrestores:get",
      "datamover.a-cup-of.coffee/datamoverrestores:list",
      "datamover.a-cup-of.coffee/datamoverrestores:watch",
      "datamover.a-cup-of.coffee/datamoverrestores/status:get",
      "datamover.a-cup-of.coffee/datamoverrestores/status:patch",
      "datamover.a-cup-of.coffee/datamoverrestores/status:update",
      "datamover.a-cup-of.coffee/datamoverrestores/finalizers:update",
      "/persistentvolumes:get",
      "/persistentvolumes:list",
      "/persistentvolumes:watch",
      "/persistentvolumes:patch",
      "storage.k8s.io/storageclasses:get",
      "storage.k8s.io/storageclasses:list",
      "storage.k8s.io/storageclasses:watch",
      "populator.storage.k8s.io/volumepopulators:get",
      "populator.storage.k8s.io/volumepopulators:create",
      "/persistentvolumeclaims:get",
      "/persistentvolumeclaims:list",
      "/persistentvolumeclaims:watch",
      "/persistentvolumeclaims:create",
      "/persistentvolumeclaims:delete",
      "/secrets:get",
      "/secrets:list",
      "/secrets:watch",
      "/configmaps:get",
      "batch/jobs:get",
      "batch/jobs:list",
      "batch/jobs:watch",
      "batch/jobs:create",
      "batch/jobs:delete",
      "/pods:get",
      "/pods:list",
      "/pods:watch",
      "/events:create",
      "/events:patch");
  /** Leader election, in the operator's namespace only. */
  private static final Set<String> NAMESPACE_GRANTS = Set.of(
      "coordination.k8s.io/leases:get",
      "coordination.k8s.io/leases:create",
      "coordination.k8s.io/leases:update");

  private static ApiServer server;
  private static Path repoRoot;
  private static Path kustomize;
  private static final Map<String, Manifests> rendered = new ConcurrentHashMap<>();
  private static boolean defaultOverlayApplied;

  @BeforeAll
  static void tools() {
    server = TestCluster.server();
    repoRoot = TestCluster.repoRoot();
    Commands.Result result = Commands.exec(
        List.of(repoRoot.resolve("hack/kustomize.sh").toString()), repoRoot, null, Map.of(), Duration.ofMinutes(10))
        .orThrow();
    kustomize = Path.of(result.stdout().strip());
    assertThat(kustomize).isAbsolute().isExecutable();
  }

  @AfterAll
  static void removeTheInstallation() {
    if (defaultOverlayApplied) {
      // The CRD stays: other tests of this JVM use it. A deleted namespace would stay Terminating
      // (no namespace controller runs), so it stays too.
      kubectl(server, render("default").without("CustomResourceDefinition", "Namespace").toYaml(),
          "delete", "--ignore-not-found", "--wait=false", "-f", "-").orThrow();
    }
  }

  static Stream<String> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(repoRoot().resolve("deploy/kustomize/overlays"))) {
      return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList().stream();
    }
  }

  private static Path repoRoot() {
    return repoRoot != null ? repoRoot : TestCluster.repoRoot();
  }

  @Test
  void theDocumentedOverlaysExist() throws IOException {
    assertThat(overlays()).contains("default", "prometheus");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyOverlayPassesAServerSideDryRun(String overlay) {
    Manifests manifests = render(overlay);
    if (manifests.objects().stream().anyMatch(o -> Manifests.apiVersion(o).startsWith("monitoring.coreos.com/"))) {
      server.applyYaml(standInCrds());
    }
    // A dry run creates nothing, so objects in a namespace the same input creates would fail with
    // "namespace not found"; on a real install kubectl creates the namespace first.
    if (!manifests.ofKind("Namespace").isEmpty()) {
      kubectl(server, manifests.only("Namespace").toYaml(),
          "apply", "--server-side", "--field-manager=" + FIELD_MANAGER, "-f", "-").orThrow();
    }

    Commands.Result dryRun = kubectl(server, manifests.toYaml(),
        "apply", "--server-side", "--dry-run=server", "--field-manager=" + FIELD_MANAGER, "-f", "-");

    assertThat(dryRun.exitCode()).as("%s", dryRun).isZero();
    assertThat(dryRun.stdout().lines().toList())
        .as("%s", dryRun)
        .hasSize(manifests.objects().size())
        .allMatch(line -> line.endsWith("(server dry run)"));
  }

  @Test
  void theDefaultOverlayInstallsTheOperatorAndNothingElse() {
    Manifests manifests = render("default");

    assertThat(manifests.objects()).extracting(o -> Manifests.kind(o) + "/" + Manifests.name(o)).containsExactlyInAnyOrder(
        "Namespace/datamover-system",
        "CustomResourceDefinition/datamovers.datamover.a-cup-of.coffee",
        "CustomResourceDefinition/datamoverrestores.datamover.a-cup-of.coffee",
        "CustomResourceDefinition/datamoverschedules.datamover.a-cup-of.coffee",
        "ServiceAccount/datamover-operator",
        "ClusterRole/datamover-operator",
        "ClusterRoleBinding/datamover-operator",
        "Role/datamover-operator-leader-election",
        "RoleBinding/datamover-operator-leader-election",
        "Service/datamover-operator-metrics",
        "Deployment/datamover-operator");
    for (Map<String, Object> object : manifests.objects()) {
      assertThat(map(at(object, "metadata", "labels")))
          .as("labels of %s", Manifests.name(object))
          .containsEntry("app.kubernetes.io/name", "datamover-operator")
          .containsEntry("app.kubernetes.io/part-of", "datamover");
    }
  }

  @Test
  void theDeploymentRunsOneOperatorThatCanHandItsLeaseOver() {
    Manifests manifests = render("default");
    Map<String, Object> deployment = manifests.get("Deployment", "datamover-operator");
    Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
    Map<String, Object> container = map(at(pod, "containers", 0));

    assertThat(at(deployment, "metadata", "namespace")).isEqualTo(OPERATOR_NAMESPACE);
    assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
    // A standby is not ready until it holds the lease (docs/operations.md).
    assertThat(at(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
    assertThat(container.get("image")).isEqualTo("datamover/operator:0.1.0");
    assertThat(pod).containsEntry("serviceAccountName", "datamover-operator").containsEntry("automountServiceAccountToken", true)
        .containsEntry("terminationGracePeriodSeconds", 30);
    assertThat(list(container.get("env")))
        .contains(
            Map.of("name", "POD_NAME", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))),
            Map.of("name", "POD_NAMESPACE", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.namespace"))));
    assertThat(at(container, "ports", 0)).isEqualTo(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"));
    assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
    assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
    assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
    assertThat(at(container, "resources")).isEqualTo(
        Map.of("requests", Map.of("cpu", "100m", "memory", "256Mi"), "limits", Map.of("memory", "512Mi")));

    Map<String, Object> service = manifests.get("Service", "datamover-operator-metrics");
    assertThat(map(at(deployment, "spec", "template", "metadata", "labels")))
        .containsAllEntriesOf(map(at(service, "spec", "selector")));
    assertThat(at(service, "spec", "ports", 0)).isEqualTo(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
  }

  @Test
  void theOperatorPodIsAdmittedUnderTheRestrictedPodSecurityStandard() {
    Manifests manifests = render("default");
    assertThat(map(at(manifests.get("Namespace", OPERATOR_NAMESPACE), "metadata", "labels")))
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    // Nothing here turns a Deployment into pods, so a pod is made from its template, the way the
    // ReplicaSet controller would, in a namespace that enforces "restricted" (latest).
    String namespace = TestCluster.newNamespace("kustomize-restricted");
    Map<String, Object> template = map(at(manifests.get("Deployment", "datamover-operator"), "spec", "template"));
    Map<String, Object> pod = podFrom(template, "datamover-operator-restricted");

    Commands.Result created = kubectl(server, yaml(pod), "create", "-n", namespace, "-f", "-");

    assertThat(created.exitCode()).as("%s", created).isZero();
    assertThat(created.stderr()).as("%s", created).doesNotContain("PodSecurity");

    // The check has teeth: the same pod allowed to escalate privileges is refused.
    Map<String, Object> weaker = Manifests.parse(yaml(podFrom(template, "datamover-operator-weaker"))).objects().getFirst();
    map(at(weaker, "spec", "containers", 0, "securityContext")).remove("allowPrivilegeEscalation");
    Commands.Result refused = kubectl(server, yaml(weaker), "create", "-n", namespace, "-f", "-");
    assertThat(refused.exitCode()).as("%s", refused).isNotZero();
    assertThat(refused.stderr()).contains("violates PodSecurity \"restricted:latest\"", "allowPrivilegeEscalation");

    kubectl(server, null, "delete", "pod", "-n", namespace, "datamover-operator-restricted", "--wait=false").orThrow();
  }

  @Test
  void theRbacNamesEveryGrantWithoutWildcards() {
    Manifests manifests = render("default");

    Map<String, Object> clusterRole = manifests.get("ClusterRole", "datamover-operator");
    Map<String, Object> role = manifests.get("Role", "datamover-operator-leader-election");
    assertThat(grants(clusterRole)).containsExactlyInAnyOrderElementsOf(CLUSTER_GRANTS);
    assertThat(grants(role)).containsExactlyInAnyOrderElementsOf(NAMESPACE_GRANTS);
    assertThat(at(role, "metadata", "namespace")).isEqualTo(OPERATOR_NAMESPACE);
    for (Map<String, Object> r : List.of(clusterRole, role)) {
      for (Object rule : list(r.get("rules"))) {
        for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
          assertThat(list(map(rule).get(field))).as("%s of %s", field, rule).noneMatch(v -> String.valueOf(v).contains("*"));
        }
      }
    }
    for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
      assertThat(list(at(manifests.ofKind(binding).getFirst(), "subjects")))
          .containsExactly(Map.of("kind", "ServiceAccount", "name", "datamover-operator", "namespace", OPERATOR_NAMESPACE));
    }
  }

  /** {@code kubectl auth can-i} arguments for every call the operator makes; all must answer yes. */
  static Stream<String> operatorCalls() {
    String app = "-n " + APP_NAMESPACE;
    String all = "--all-namespaces";
    String own = "-n " + OPERATOR_NAMESPACE;
    return Stream.of(
        // Informers list and watch in all namespaces (or in datamover.watch-namespace).
        "list " + DATAMOVERS + " " + all,
        "watch " + DATAMOVERS + " " + all,
        "get " + DATAMOVERS + " " + app,
        "list " + DATAMOVERS + " " + app,
        "patch " + DATAMOVERS + " --subresource=status " + app,
        "update " + DATAMOVERS + " --subresource=finalizers " + app,
        "list " + RESTORES + " " + all,
        "watch " + RESTORES + " " + all,
        "get " + RESTORES + " " + app,
        "patch " + RESTORES + " --subresource=status " + app,
        "update " + RESTORES + " --subresource=finalizers " + app,
        // Cluster-scoped: --all-namespaces (namespace "") keeps kubectl from warning about "-n default".
        "list persistentvolumes --all-namespaces",
        "watch persistentvolumes --all-namespaces",
        "patch persistentvolumes --all-namespaces",
        "list storageclasses.storage.k8s.io --all-namespaces",
        "watch storageclasses.storage.k8s.io --all-namespaces",
        "get volumepopulators.populator.storage.k8s.io --all-namespaces",
        "create volumepopulators.populator.storage.k8s.io --all-namespaces",
        // Schedules: their informer and status; their runs are DataMovers the operator creates and deletes.
        "list " + SCHEDULES + " " + all,
        "watch " + SCHEDULES + " " + all,
        "get " + SCHEDULES + " " + app,
        "patch " + SCHEDULES + " --subresource=status " + app,
        "update " + SCHEDULES + " --subresource=finalizers " + app,
        "create " + DATAMOVERS + " " + app,
        "delete " + DATAMOVERS + " " + app,
        "list persistentvolumeclaims " + all,
        "watch persistentvolumeclaims " + all,
        "get persistentvolumeclaims " + app,
        "create persistentvolumeclaims " + app,
        "delete persistentvolumeclaims " + app,
        "list secrets " + all,
        "watch secrets " + all,
        "get secrets " + app,
        // A custom CA in a ConfigMap: one read while a run validates, no cache.
        "get configmaps " + app,
        "list jobs.batch " + all,
        "watch jobs.batch " + all,
        "create jobs.batch " + app,
        "delete jobs.batch " + app,
        "list pods " + all,
        "watch pods " + all,
        "get pods " + app,
        "create events " + app,
        "patch events " + app,
        "get leases.coordination.k8s.io " + own,
        "create leases.coordination.k8s.io " + own,
        "update leases.coordination.k8s.io " + own);
  }

  /** Calls the operator never makes; each must answer no. */
  static Stream<String> notForTheOperator() {
    String app = "-n " + APP_NAMESPACE;
    return Stream.of(
        "create secrets " + app,
        "update secrets " + app,
        "patch secrets " + app,
        "delete secrets " + app,
        "create pods " + app,
        "delete pods " + app,
        "create pods --subresource=exec " + app,
        "get pods --subresource=log " + app,
        "update " + DATAMOVERS + " " + app,
        "patch " + DATAMOVERS + " " + app,
        "create " + SCHEDULES + " " + app,
        "update " + SCHEDULES + " " + app,
        "patch " + SCHEDULES + " " + app,
        "delete " + SCHEDULES + " " + app,
        "update persistentvolumeclaims " + app,
        "patch persistentvolumeclaims " + app,
        "update jobs.batch " + app,
        "patch jobs.batch " + app,
        "create events.events.k8s.io " + app,
        "list configmaps --all-namespaces",
        "watch configmaps --all-namespaces",
        "update configmaps " + app,
        "create serviceaccounts --subresource=token " + app,
        "get leases.coordination.k8s.io " + app,
        "update leases.coordination.k8s.io -n kube-system",
        "delete leases.coordination.k8s.io -n " + OPERATOR_NAMESPACE,
        // Cluster-scoped: --all-namespaces (namespace "") keeps kubectl from warning about "-n default".
        "get nodes --all-namespaces",
        "list namespaces --all-namespaces",
        "delete persistentvolumes --all-namespaces",
        "create persistentvolumes --all-namespaces",
        "update storageclasses.storage.k8s.io --all-namespaces",
        "delete volumepopulators.populator.storage.k8s.io --all-namespaces",
        "create " + RESTORES + " " + app,
        "update " + RESTORES + " " + app,
        "delete " + RESTORES + " " + app,
        "create clusterrolebindings.rbac.authorization.k8s.io --all-namespaces",
        "escalate clusterroles.rbac.authorization.k8s.io --all-namespaces",
        "update customresourcedefinitions.apiextensions.k8s.io --all-namespaces",
        "* * " + app);
  }

  @ParameterizedTest(name = "can-i {0}")
  @MethodSource("operatorCalls")
  void theServiceAccountMayMakeEveryCallOfTheOperator(String call) {
    assertThat(canI(call)).isEqualTo("yes");
  }

  @ParameterizedTest(name = "can-i {0}")
  @MethodSource("notForTheOperator")
  void theServiceAccountMayNotDoMore(String call) {
    assertThat(canI(call)).isEqualTo("no");
  }

  @Test
  void anOverlayMayMoveTheOperatorToAnotherNamespace(@TempDir Path tmp) throws IOException {
    String namespace = "backup-system";
    // kustomize accepts only relative paths to other kustomizations.
    Path overlay = Files.createDirectories(tmp.resolve("overlay"));
    String base = overlay.toAbsolutePath().relativize(repoRoot.resolve("deploy/kustomize/overlays/default").toAbsolutePath()).toString();
    Files.writeString(overlay.resolve("kustomization.yaml"), "namespace: %s\nresources:\n  - %s\n".formatted(namespace, base));

    Manifests manifests = Manifests.parse(kustomizeBuild(overlay));

    assertThat(manifests.ofKind("Namespace")).extracting(Manifests::name).containsExactly(namespace);
    for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
      assertThat(at(manifests.ofKind(binding).getFirst(), "subjects", 0, "namespace")).as(binding).isEqualTo(namespace);
    }
    for (String kind : List.of("ServiceAccount", "Role", "RoleBinding", "Service", "Deployment")) {
      assertThat(at(manifests.ofKind(kind).getFirst(), "metadata", "namespace")).as(kind).isEqualTo(namespace);
    }
  }

  @Test
  void thePrometheusOverlayScrapesTheOperatorAndAlertsOnFailedStuckRunsAndADownOperator() {
    Manifests manifests = render("prometheus");
    Map<String, Object> service = manifests.get("Service", "datamover-operator-metrics");
    Map<String, Object> monitor = manifests.get("ServiceMonitor", "datamover-operator");

    assertThat(map(at(service, "metadata", "labels"))).containsAllEntriesOf(map(at(monitor, "spec", "selector", "matchLabels")));
    Map<String, Object> endpoint = map(at(monitor, "spec", "endpoints", 0));
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus")
        // keeps the DataMover's own "namespace" label (otherwise renamed exported_namespace)
        .containsEntry("honorLabels", true);
    assertThat(list(at(service, "spec", "ports"))).extracting(p -> map(p).get("name")).contains("http");

    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (Object group : list(at(manifests.get("PrometheusRule", "datamover-operator"), "spec", "groups"))) {
      for (Object rule : list(map(group).get("rules"))) {
        alerts.put((String) map(rule).get("alert"), map(rule));
      }
    }
    assertThat(alerts).containsOnlyKeys("DataMoverRunFailed", "DataMoverRestoreFailed", "DataMoverRunStuck", "DataMoverOperatorDown",
        "DataMoverScheduleNoRecentSuccess", "DataMoverScheduleFailing", "DataMoverScheduleStalled", "DataMoverRetentionFailing");
    assertThat((String) alerts.get("DataMoverScheduleNoRecentSuccess").get("expr"))
        .contains("time() - datamover_schedule_last_success_timestamp_seconds", "> 2 * datamover_schedule_interval_seconds");
    assertThat((String) alerts.get("DataMoverRetentionFailing").get("expr")).contains("increase(datamover_schedule_prune_failures_total[2h])");
    // The Grafana dashboard ships as a ConfigMap for Grafana's dashboard sidecar.
    Map<String, Object> dashboard = manifests.get("ConfigMap", "datamover-grafana-dashboard");
    assertThat(map(at(dashboard, "metadata", "labels"))).containsEntry("grafana_dashboard", "1");
    assertThat((String) map(dashboard.get("data")).get("grafana-dashboard.json")).contains("\"uid\": \"datamover-operator\"");
    assertThat((String) alerts.get("DataMoverRunFailed").get("expr"))
        .contains("increase(datamover_operations_total{status=\"failure\"}[15m])");
    assertThat((String) alerts.get("DataMoverRunStuck").get("expr"))
        .contains("time() - (datamover_phase_started_timestamp_seconds{phase!~\"Completed|Failed\"}", "> 7200");
    assertThat(alerts.get("DataMoverRunStuck")).containsEntry("for", "15m");
    assertThat((String) alerts.get("DataMoverRestoreFailed").get("expr")).contains("datamover_restore_operations_total{status=\"failure\"}");
    assertThat((String) alerts.get("DataMoverOperatorDown").get("expr")).contains("absent(up{job=~\".*datamover-operator.*\"} == 1)");
    alerts.forEach((name, rule) -> {
      assertThat(map(rule.get("labels"))).as(name).containsKey("severity");
      Map<String, Object> annotations = map(rule.get("annotations"));
      assertThat(annotations).as(name).containsKeys("summary", "description");
      assertThat((String) annotations.get("description")).as(name).contains("kubectl ", "docs/operations.md");
    });
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static synchronized Manifests render(String overlay) {
    return rendered.computeIfAbsent(overlay,
        o -> Manifests.parse(kustomizeBuild(repoRoot.resolve("deploy/kustomize/overlays").resolve(o))));
  }

  private static String kustomizeBuild(Path dir) {
    return Commands.exec(List.of(kustomize.toString(), "build", dir.toString()), repoRoot, null, Map.of(), Duration.ofMinutes(2))
        .orThrow().stdout();
  }

  /** Applies the default overlay for real, once: the RBAC checks need its bindings. */
  private static synchronized void applyDefaultOverlay() {
    if (!defaultOverlayApplied) {
      Manifests manifests = render("default");
      kubectl(server, manifests.only("Namespace").toYaml(),
          "apply", "--server-side", "--field-manager=" + FIELD_MANAGER, "-f", "-").orThrow();
      kubectl(server, manifests.toYaml(),
          "apply", "--server-side", "--field-manager=" + FIELD_MANAGER, "-f", "-").orThrow();
      defaultOverlayApplied = true;
    }
  }

  /** The answer of {@code kubectl auth can-i <call> --as=<the operator's service account>}. */
  private static String canI(String call) {
    applyDefaultOverlay();
    List<String> args = new ArrayList<>(List.of("auth", "can-i"));
    args.addAll(List.of(call.split(" ")));
    args.add("--as=" + SERVICE_ACCOUNT);
    Commands.Result result = kubectl(server, null, args.toArray(String[]::new));
    // Exit code 0 is yes, 1 is no; anything else, or a warning such as "the server doesn't have a
    // resource type", means the question itself was wrong.
    assertThat(result.exitCode()).as("%s", result).isIn(0, 1);
    assertThat(result.stderr()).as("%s", result).isBlank();
    return result.stdout().strip();
  }

  /** group/resource:verb for every rule of a Role or ClusterRole. */
  private static Set<String> grants(Map<String, Object> role) {
    Set<String> grants = new TreeSet<>();
    for (Object rule : list(role.get("rules"))) {
      assertThat(map(rule)).as("rule %s", rule).doesNotContainKeys("resourceNames", "nonResourceURLs");
      for (Object group : list(map(rule).get("apiGroups"))) {
        for (Object resource : list(map(rule).get("resources"))) {
          for (Object verb : list(map(rule).get("verbs"))) {
            assertThat(grants.add(group + "/" + resource + ":" + verb)).as("granted twice: %s/%s:%s", group, resource, verb).isTrue();
          }
        }
      }
    }
    return grants;
  }

  private static Map<String, Object> podFrom(Map<String, Object> template, String name) {
    Map<String, Object> metadata = new LinkedHashMap<>(map(template.get("metadata")));
    metadata.put("name", name);
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.put("metadata", metadata);
    pod.put("spec", template.get("spec"));
    return pod;
  }

  private static String yaml(Map<String, Object> object) {
    return new Manifests(List.of(object)).toYaml();
  }

  private static Path standInCrds() {
    try {
      Path file = Files.createTempFile("prometheus-operator-crds-", ".yaml");
      try (var in = KustomizeIT.class.getResourceAsStream(STAND_IN_CRDS)) {
        if (in == null) {
          throw new IllegalStateException("test resource " + STAND_IN_CRDS + " is missing");
        }
        Files.write(file, in.readAllBytes());
      }
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl (the test server's own build) with the admin kubeconfig; {@code stdin} may be null. */
  private static Commands.Result kubectl(ApiServer server, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(
        server.kubectl().toString(),
        "--kubeconfig=" + server.kubeconfig(),
        "--cache-dir=" + server.workDir().resolve("kubectl-cache")));
    command.addAll(List.of(args));
    return Commands.exec(command, server.workDir(), stdin, Map.of(), Duration.ofMinutes(3));
  }
}

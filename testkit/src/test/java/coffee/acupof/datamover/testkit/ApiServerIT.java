package coffee.acupof.datamover.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real etcd + kube-apiserver and checks what tests rely on. */
class ApiServerIT {

  private static final String GROUP = "it.datamover.acupof.coffee";

  private static final String WIDGET_CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.%1$s
      spec:
        group: %1$s
        scope: Namespaced
        names:
          plural: widgets
          singular: widget
          kind: Widget
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size:
                      type: integer
      """.formatted(GROUP);

  private static ApiServer server;

  @BeforeAll
  static void startServer() {
    server = ApiServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
      assertFalse(Files.exists(server.workDir()), "close() deletes the temporary directory");
    }
  }

  @Test
  void storesAndReadsConfigMapThroughJavaClient() throws ApiException {
    CoreV1Api core = new CoreV1Api(server.adminClient());
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("configmaps"))).execute();
    core.createNamespacedConfigMap("configmaps",
            new V1ConfigMap().metadata(new V1ObjectMeta().name("greeting")).putDataItem("hello", "world"))
        .execute();

    V1ConfigMap read = core.readNamespacedConfigMap("greeting", "configmaps").execute();

    assertEquals(Map.of("hello", "world"), read.getData());
  }

  @Test
  void appliedCrdIsEstablishedAndUsable(@TempDir Path dir) throws IOException, ApiException {
    Files.writeString(dir.resolve("widget-crd.yaml"), WIDGET_CRD);

    server.applyYaml(dir);

    CustomObjectsApi custom = new CustomObjectsApi(server.adminClient());
    Map<String, Object> widget = Map.of(
        "apiVersion", GROUP + "/v1",
        "kind", "Widget",
        "metadata", Map.of("name", "first"),
        "spec", Map.of("size", 3));
    custom.createNamespacedCustomObject(GROUP, "v1", "default", "widgets", widget).execute();
    String size = server.runKubectl(
        "get", "widgets." + GROUP, "first", "-n", "default", "-o", "jsonpath={.spec.size}");
    assertEquals("3", size);
  }

  @Test
  void userWithoutGrantsIsForbidden() {
    CoreV1Api core = new CoreV1Api(server.clientAs("nobody", "nobodys-team"));

    ApiException e = assertThrows(ApiException.class, () -> core.listNamespacedPod("default").execute());

    assertEquals(403, e.getCode(), e.getResponseBody());
    assertTrue(e.getResponseBody().contains("User \\\"nobody\\\" cannot list resource \\\"pods\\\""),
        e.getResponseBody());
  }

  @Test
  void serviceAccountGetsWhatItsRoleGrants() throws ApiException {
    new CoreV1Api(server.adminClient())
        .createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("rbac"))).execute();
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(server.adminClient());
    rbac.createNamespacedRole("rbac", new V1Role()
            .metadata(new V1ObjectMeta().name("pod-reader"))
            .rules(List.of(new V1PolicyRule().apiGroups(List.of("")).resources(List.of("pods"))
                .verbs(List.of("list")))))
        .execute();
    rbac.createNamespacedRoleBinding("rbac", new V1RoleBinding()
            .metadata(new V1ObjectMeta().name("operator-reads-pods"))
            .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name("pod-reader"))
            .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name("operator").namespace("rbac"))))
        .execute();

    CoreV1Api asOperator = new CoreV1Api(server.clientAsServiceAccount("rbac", "operator"));

    assertEquals(List.of(), asOperator.listNamespacedPod("rbac").execute().getItems());
    ApiException e = assertThrows(ApiException.class, () -> asOperator.listNamespacedPod("default").execute());
    assertEquals(403, e.getCode(), e.getResponseBody());
  }

  @Test
  void kubeconfigWorksForKubectlAndJavaClient(@TempDir Path dir) throws IOException, ApiException {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("nested/kubeconfig"));

    ApiClient client;
    try (Reader reader = Files.newBufferedReader(kubeconfig)) {
      client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
    assertTrue(new CoreV1Api(client).listNamespace().execute().getItems().stream()
        .anyMatch(ns -> "kube-system".equals(ns.getMetadata().getName())));

    assertEquals("yes", server.runKubectl("auth", "can-i", "delete", "nodes").strip());
    assertTrue(server.runKubectl("version", "-o", "json").contains("\"gitVersion\": \"v1.34."),
        "the server reports its real Kubernetes version");
  }

  @Test
  void sharedServerIsStartedOnceAndSurvivesClose() throws ApiException {
    ApiServer shared = ApiServer.shared();
    shared.close();

    assertSame(shared, ApiServer.shared());
    new CoreV1Api(shared.adminClient()).listNamespace().execute();
  }
}

package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.api.Condition;
import coffee.acupof.datamover.api.CustomCaSpec;
import coffee.acupof.datamover.api.CustomResource;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverRestoreStatus;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.DataMoverScheduleStatus;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.ImageSpec;
import coffee.acupof.datamover.api.LastRun;
import coffee.acupof.datamover.api.Phase;
import coffee.acupof.datamover.api.RcloneConfigSpec;
import coffee.acupof.datamover.api.RestorePhase;
import coffee.acupof.datamover.api.RetentionSpec;
import coffee.acupof.datamover.api.RetentionStatus;
import coffee.acupof.datamover.api.RunReference;
import coffee.acupof.datamover.runtime.ResourceKind;
import coffee.acupof.datamover.runtime.StatusWriter;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Java types and the CRD schema stay in step: every example manifest survives a round trip
 * through the real API server and the Java types, every status field survives the schema, and the
 * schema's properties are exactly the Java types' components.
 */
class CrdRoundTripIT {
  private static String ns;

  @BeforeAll
  static void namespace() {
    ns = TestCluster.newNamespace("crd-roundtrip");
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(TestCluster.repoRoot().resolve("docs/examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).filter(f -> !f.getFileName().toString().contains("secret")).sorted().toList().stream();
    }
  }

  /** The kinds examples may have, by their {@code kind}. */
  private static final Map<String, ResourceKind<? extends CustomResource<?, ?, ?>, ?>> KINDS =
      Map.<String, ResourceKind<? extends CustomResource<?, ?, ?>, ?>>of(
          DataMoverApi.KIND, DataMoverApi.DATAMOVERS, DataMoverApi.RESTORE_KIND, DataMoverApi.RESTORES, DataMoverApi.SCHEDULE_KIND, DataMoverApi.SCHEDULES);

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anExampleSurvivesKubectlAndTheJavaTypes(Path example) throws Exception {
    Given.kubectlApply(ns, Files.readString(example));
    int checked = 0;
    for (Object document : new Yaml().loadAll(Files.readString(example))) {
      Map<String, Object> manifest = (Map<String, Object>) document;
      ResourceKind kind = KINDS.get((String) manifest.get("kind"));
      if (kind == null) {
        continue; // a built-in object the example needs, e.g. a PVC
      }
      String name = ((Map<String, String>) manifest.get("metadata")).get("name");
      CustomResource read = (CustomResource) kind.api(TestCluster.admin()).get(ns, name).throwsApiException().getObject();
      CustomResource copy = (CustomResource) kind.type().getDeclaredConstructor().newInstance();
      copy.metadata(new V1ObjectMeta().name(name + "-copy").namespace(ns)).spec(read.getSpec());
      kind.api(TestCluster.admin()).create(copy).throwsApiException();

      assertThat(specOf(kind.plural(), name + "-copy")).isEqualTo(specOf(kind.plural(), name));
      checked++;
    }
    assertThat(checked).as("objects of this API in %s", example).isPositive();
  }

  private static JsonObject specOf(String plural, String name) {
    String json = TestCluster.server().runKubectl("get", plural, name, "-n", ns, "-o", "json");
    return JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("spec");
  }

  @Test
  void everyScheduleStatusFieldSurvivesTheSchema() throws Exception {
    Schedules.apply(ns, "schedule-status", "0 2 * * *", "d", "s", "");
    DataMoverSchedule schedule = Schedules.get(ns, "schedule-status");
    OffsetDateTime t = OffsetDateTime.of(2026, 11, 21, 10, 15, 0, 0, ZoneOffset.UTC);
    DataMoverScheduleStatus full =
        new DataMoverScheduleStatus(
            1L,
            List.of(new Condition(Condition.READY, "True", "Scheduled", "Next run at 2026-11-22T02:00Z", 1L, t)),
            t, t.plusDays(1), t, t, t, "now-1",
            List.of(new RunReference(DataMoverApi.API_VERSION, DataMoverApi.KIND, ns, "schedule-status-202611211015", "uid-1")),
            new LastRun("schedule-status-202611211015", t, "schedule", "Succeeded", "2026-11-21-101500", "Backup written"),
            ns + "/d", ns + "/d", "2026-11-21-101500",
            new RetentionStatus("2026-11-21-101500", t, "Succeeded", "schedule-status-prune-20261121101500", 2,
                List.of("2026-11-21-101500", "2026-11-20-101500"), 1, List.of("2026-11-19-101500"), 0, t, "kept 2 and deleted 1"));
    for (Record value : List.<Record>of(full, full.lastRun(), full.retention(), full.active().getFirst())) {
      assertThat(everyFieldSet(value)).as("the test sets every field of %s", value.getClass().getSimpleName()).isTrue();
    }

    new StatusWriter(TestCluster.admin()).write(DataMoverApi.SCHEDULES, schedule, full);

    assertThat(Schedules.get(ns, "schedule-status").getStatus()).isEqualTo(full);
  }

  @Test
  void theScheduleSchemaAndTheJavaTypesHaveTheSameFields() throws IOException {
    Map<String, Object> root = schema("crd/datamover.a-cup-of.coffee_datamoverschedules.yaml");
    Map<String, Object> spec = properties(field(properties(root), "spec"));
    Map<String, Object> status = properties(field(properties(root), "status"));

    assertThat(spec.keySet()).containsExactlyInAnyOrderElementsOf(components(DataMoverScheduleSpec.class));
    assertThat(properties(field(spec, "retention")).keySet()).containsExactlyInAnyOrderElementsOf(components(RetentionSpec.class));
    assertRemoteFields(spec);
    assertThat(properties(field(spec, "image")).keySet()).containsExactlyInAnyOrderElementsOf(components(ImageSpec.class));
    assertThat(status.keySet()).containsExactlyInAnyOrderElementsOf(components(DataMoverScheduleStatus.class));
    assertThat(properties(field(status, "lastRun")).keySet()).containsExactlyInAnyOrderElementsOf(components(LastRun.class));
    assertThat(properties(field(status, "retention")).keySet()).containsExactlyInAnyOrderElementsOf(components(RetentionStatus.class));
    assertThat(properties(field(field(status, "active"), "items")).keySet()).containsExactlyInAnyOrderElementsOf(components(RunReference.class));
  }

  @Test
  void everyStatusFieldSurvivesTheSchema() {
    Given.kubectlApply(ns, "apiVersion: datamover.a-cup-of.coffee/v1alpha1\nkind: DataMover\nmetadata:\n  name: status-fields\nspec:\n  sourcePvc: d\n  secretName: s\n");
    DataMover dm = TestCluster.get(ns, "status-fields");
    OffsetDateTime t = OffsetDateTime.of(2026, 11, 21, 10, 15, 0, 0, ZoneOffset.UTC);
    DataMoverStatus full =
        new DataMoverStatus.Builder()
            .phase(Phase.COMPLETED)
            .restoredPvcName("status-fields-clone")
            .conditions(List.of(new Condition(Condition.READY, "True", "MoverSucceeded", "done", 1L, t)))
            .observedGeneration(1L)
            .startTime(t)
            .phaseTransitionTime(t)
            .completionTime(t)
            .jobName("status-fields-mover")
            .attempts(2)
            .pointInTime("2026-11-21-101500")
            .destination("s3:bucket/2026-11-21-101500")
            .bytesTransferred(10L)
            .filesTransferred(1L)
            .reason("MoverSucceeded")
            .message("done")
            .build();
    assertThat(everyFieldSet(full)).as("the test sets every status field").isTrue();

    new StatusWriter(TestCluster.admin()).write(DataMoverApi.DATAMOVERS, dm, full);

    assertThat(TestCluster.get(ns, "status-fields").getStatus()).isEqualTo(full);
  }

  @Test
  void theSchemaAndTheJavaTypesHaveTheSameFields() throws IOException {
    Map<String, Object> root = schema("crd/datamover.a-cup-of.coffee_datamovers.yaml");
    Map<String, Object> spec = properties(field(properties(root), "spec"));
    Map<String, Object> status = properties(field(properties(root), "status"));

    assertThat(spec.keySet()).containsExactlyInAnyOrderElementsOf(components(DataMoverSpec.class));
    assertThat(properties(field(spec, "image")).keySet()).containsExactlyInAnyOrderElementsOf(components(ImageSpec.class));
    assertRemoteFields(spec);
    assertThat(status.keySet()).containsExactlyInAnyOrderElementsOf(components(DataMoverStatus.class));
    assertThat(properties(field(field(status, "conditions"), "items")).keySet()).containsExactlyInAnyOrderElementsOf(components(Condition.class));
  }

  @Test
  void theRestoreSchemaAndItsJavaTypesHaveTheSameFields() throws IOException {
    Map<String, Object> root = schema("crd/datamover.a-cup-of.coffee_datamoverrestores.yaml");
    Map<String, Object> spec = properties(field(properties(root), "spec"));

    assertThat(spec.keySet()).containsExactlyInAnyOrderElementsOf(components(DataMoverRestoreSpec.class));
    assertThat(properties(field(spec, "image")).keySet()).containsExactlyInAnyOrderElementsOf(components(ImageSpec.class));
    assertRemoteFields(spec);
    assertThat(properties(field(properties(root), "status")).keySet()).containsExactlyInAnyOrderElementsOf(components(DataMoverRestoreStatus.class));
  }

  @Test
  void everyRestoreStatusFieldSurvivesTheSchema() throws Exception {
    Given.kubectlApply(ns, """
        apiVersion: datamover.a-cup-of.coffee/v1alpha1
        kind: DataMoverRestore
        metadata:
          name: restore-status-fields
        spec:
          sourcePvc: d
          secretName: s
          targetPvc: t
        """);
    DataMoverRestore restore = DataMoverApi.RESTORES.api(TestCluster.admin()).get(ns, "restore-status-fields").throwsApiException().getObject();
    OffsetDateTime t = OffsetDateTime.of(2026, 11, 21, 10, 15, 0, 0, ZoneOffset.UTC);
    DataMoverRestoreStatus full =
        new DataMoverRestoreStatus.Builder()
            .phase(RestorePhase.COMPLETED)
            .conditions(List.of(new Condition(Condition.READY, "True", "Completed", "done", 1L, t)))
            .observedGeneration(1L)
            .startTime(t)
            .phaseTransitionTime(t)
            .completionTime(t)
            .targetPvc("t")
            .primePvc("restore-status-fields-prime")
            .volumeName("pv-1")
            .jobName("restore-status-fields-restore")
            .attempts(1)
            .pointInTime("2026-11-21-101500")
            .source("s3:bucket/d/2026-11-21-101500")
            .bytesTransferred(10L)
            .filesTransferred(1L)
            .verified(true)
            .reason("Completed")
            .message("done")
            .build();
    assertThat(everyFieldSet(full)).as("the test sets every status field").isTrue();

    new StatusWriter(TestCluster.admin()).write(DataMoverApi.RESTORES, restore, full);

    assertThat(DataMoverApi.RESTORES.api(TestCluster.admin()).get(ns, "restore-status-fields").throwsApiException().getObject().getStatus())
        .isEqualTo(full);
  }

  /** The fields of every kind that say how the mover reaches the remote. */
  private static void assertRemoteFields(Map<String, Object> spec) {
    assertThat(properties(field(spec, "rcloneConfig")).keySet()).containsExactlyInAnyOrderElementsOf(components(RcloneConfigSpec.class));
    assertThat(properties(field(spec, "customCA")).keySet()).containsExactlyInAnyOrderElementsOf(components(CustomCaSpec.class));
  }

  /** The OpenAPI schema of the first version of the CRD in {@code file}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema(String file) throws IOException {
    Map<String, Object> crd = new Yaml().load(Files.readString(TestCluster.repoRoot().resolve(file)));
    Map<String, Object> version = ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).getFirst();
    return (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
  }

  private static boolean everyFieldSet(Record value) {
    return Arrays.stream(value.getClass().getRecordComponents()).allMatch(c -> {
      try {
        return c.getAccessor().invoke(value) != null;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The properties of a schema node. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> node) {
    return (Map<String, Object>) node.get("properties");
  }

  /** One entry of a schema node's map (a property's schema, or {@code items}). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> field(Map<String, Object> map, String name) {
    return (Map<String, Object>) map.get(name);
  }

  private static List<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }
}

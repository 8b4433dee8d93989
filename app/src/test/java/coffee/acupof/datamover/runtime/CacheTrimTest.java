package coffee.acupof.datamover.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ManagedFieldsEntry;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheTrimTest {
  private static V1ObjectMeta meta() {
    return new V1ObjectMeta()
        .name("nightly-mover")
        .namespace("shop")
        .labels(Map.of("batch.kubernetes.io/job-name", "nightly-mover"))
        .annotations(Map.of(CacheTrim.LAST_APPLIED, "{\"kind\":\"Job\"}", "datamover.acupof.coffee/point", "2026-12-05T000000Z"))
        .managedFields(List.of(new V1ManagedFieldsEntry().manager("kube-controller-manager").fieldsV1(Map.of("f:status", Map.of()))));
  }

  @Test
  void everyKindLosesItsManagedFieldsAndKubectlsCopyButKeepsOtherAnnotationsLabelsAndSpec() {
    V1PersistentVolumeClaim pvc = new V1PersistentVolumeClaim().metadata(meta()).spec(new V1PersistentVolumeClaimSpec().storageClassName("csi"));

    var cached = (V1PersistentVolumeClaim) CacheTrim.andThen(null).transform(pvc);

    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getMetadata().getAnnotations()).containsOnlyKeys("datamover.acupof.coffee/point");
    assertThat(cached.getMetadata().getLabels()).containsKey("batch.kubernetes.io/job-name");
    assertThat(cached.getSpec().getStorageClassName()).isEqualTo("csi");
  }

  @Test
  void aJobKeepsItsStatusAndLosesItsPodTemplate() {
    V1Job job = new V1Job().metadata(meta())
        .spec(new V1JobSpec().backoffLimit(2).template(new V1PodTemplateSpec().spec(new V1PodSpec().containers(List.of(new V1Container().name("mover"))))))
        .status(new V1JobStatus().succeeded(1));

    var cached = (V1Job) CacheTrim.andThen(CacheTrim::job).transform(job);

    assertThat(cached.getSpec().getTemplate()).isNull();
    assertThat(cached.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(cached.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(cached.getMetadata().getManagedFields()).isNull();
  }

  @Test
  void aPodKeepsItsStatusAndNodeOnly() {
    V1Pod pod = new V1Pod().metadata(meta())
        .spec(new V1PodSpec().nodeName("node-1").containers(List.of(new V1Container().name("mover"))))
        .status(new V1PodStatus().phase("Succeeded"));

    var cached = (V1Pod) CacheTrim.andThen(CacheTrim::pod).transform(pod);

    assertThat(cached.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(cached.getSpec().getContainers()).isNullOrEmpty();
    assertThat(cached.getStatus().getPhase()).isEqualTo("Succeeded");
  }
}

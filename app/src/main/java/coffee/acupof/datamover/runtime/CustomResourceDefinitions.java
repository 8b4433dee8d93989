package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionStatus;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * What the operator needs to know about the cluster's CustomResourceDefinitions: whether one is
 * established and serves a version. The informer keeps only that ({@link #summary}), not the schemas,
 * which make up nearly all of a CRD's size.
 */
final class CustomResourceDefinitions {
  private CustomResourceDefinitions() {}

  /** Informer transform: name, group, served versions and status conditions; no schema, no annotations. */
  static KubernetesObject summary(KubernetesObject object) {
    if (!(object instanceof V1CustomResourceDefinition crd)) {
      return object;
    }
    V1ObjectMeta meta = crd.getMetadata();
    V1CustomResourceDefinition summary = new V1CustomResourceDefinition()
        .apiVersion(crd.getApiVersion())
        .kind(crd.getKind())
        .metadata(new V1ObjectMeta().name(meta.getName()).uid(meta.getUid()).resourceVersion(meta.getResourceVersion()));
    if (crd.getSpec() != null) {
      V1CustomResourceDefinitionSpec spec = new V1CustomResourceDefinitionSpec().group(crd.getSpec().getGroup()).scope(crd.getSpec().getScope());
      if (crd.getSpec().getVersions() != null) {
        crd.getSpec().getVersions().forEach(v ->
            spec.addVersionsItem(new V1CustomResourceDefinitionVersion().name(v.getName()).served(v.getServed()).storage(v.getStorage())));
      }
      summary.spec(spec);
    }
    if (crd.getStatus() != null) {
      summary.status(new V1CustomResourceDefinitionStatus().conditions(crd.getStatus().getConditions()));
    }
    return summary;
  }

  /** Whether the CRD is established and serves {@code version}. */
  static boolean serves(V1CustomResourceDefinition crd, String version) {
    boolean established = crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean served = crd.getSpec() != null && crd.getSpec().getVersions() != null
        && crd.getSpec().getVersions().stream().anyMatch(v -> version.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
    return established && served;
  }
}

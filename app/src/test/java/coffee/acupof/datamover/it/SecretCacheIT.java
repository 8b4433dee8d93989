package coffee.acupof.datamover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator needs only the key names of Secrets: what its cache holds of a Secret applied with
 * kubectl (which keeps a full copy, values included, in an annotation) has no value left.
 */
class SecretCacheIT {
  @Test
  void theCacheHoldsKeyNamesButNoSecretValue() {
    String ns = TestCluster.newNamespace("secret-cache");
    Given.kubectlApply(ns, """
        apiVersion: v1
        kind: Secret
        metadata:
          name: s3
        stringData:
          AWS_ACCESS_KEY_ID: access-key-in-plain-text
          AWS_SECRET_ACCESS_KEY: secret-value-never-cached
          BUCKET_HOST: minio.example.com
          BUCKET_NAME: backups
        """);
    try (RunningOperator operator = RunningOperator.start(ns)) {
      @SuppressWarnings("unchecked")
      SharedIndexInformer<V1Secret> informer = operator.bean("secretInformer", SharedIndexInformer.class);
      await().atMost(Duration.ofSeconds(30)).until(() -> informer.getIndexer().getByKey(ns + "/s3") != null);

      V1Secret cached = informer.getIndexer().getByKey(ns + "/s3");
      assertThat(cached.getData()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BUCKET_HOST", "BUCKET_NAME");
      assertThat(cached.getData().values()).allSatisfy(v -> assertThat(v).isEmpty());
      assertThat(cached.getMetadata().getAnnotations()).isNull();
      List<V1Secret> all = informer.getIndexer().list();
      assertThat(all.toString()).doesNotContain("secret-value-never-cached", "c2VjcmV0LXZhbHVlLW5ldmVyLWNhY2hlZA");
    }
  }
}

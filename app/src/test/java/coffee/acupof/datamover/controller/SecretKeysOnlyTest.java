package coffee.acupof.datamover.controller;

import static coffee.acupof.datamover.Fixtures.s3Secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretKeysOnlyTest {
  @Test
  void keepsTheKeyNamesAndDropsEveryValue() {
    V1Secret secret = s3Secret("s3").stringData(Map.of("EXTRA", "plain-text-value"));
    secret.getMetadata().annotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"AWS_SECRET_ACCESS_KEY\":\"dmFsdWU=\"}}"));

    V1Secret cached = (V1Secret) SecretKeysOnly.transform(secret);

    assertThat(cached.getData()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "BUCKET_HOST", "BUCKET_NAME", "BUCKET_PORT", "TLS_HOST");
    assertThat(cached.getData().values()).allSatisfy(v -> assertThat(v).isEmpty());
    assertThat(cached.getStringData()).isNull();
    assertThat(cached.getMetadata().getAnnotations()).isNull();
    assertThat(cached.getMetadata().getName()).isEqualTo("s3");
  }
}

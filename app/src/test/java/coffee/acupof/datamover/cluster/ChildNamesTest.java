package coffee.acupof.datamover.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildNamesTest {
  @Test
  void shortNamesGetASuffix() {
    assertThat(ChildNames.clonePvc("backup-web-data")).isEqualTo("backup-web-data-clone");
    assertThat(ChildNames.moverJob("backup-web-data")).isEqualTo("backup-web-data-mover");
  }

  @Test
  void longNamesAreShortenedDeterministicallyAndStayDistinct() {
    String a = "a".repeat(60) + "xyz";
    String b = "a".repeat(60) + "xyw";

    String jobA = ChildNames.moverJob(a);

    assertThat(jobA).hasSizeLessThanOrEqualTo(63).endsWith("-mover").startsWith("aaaa");
    assertThat(ChildNames.moverJob(a)).isEqualTo(jobA);
    assertThat(ChildNames.moverJob(b)).isNotEqualTo(jobA);
    assertThat(jobA).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }
}

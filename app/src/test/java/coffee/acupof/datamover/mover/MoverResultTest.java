package coffee.acupof.datamover.mover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoverResultTest {
  @Test
  void parsesTheResultLine() {
    String message = "{\"operation\":\"backup\",\"status\":\"success\",\"exitCode\":0,\"destination\":\"s3:b/p\",\"files\":3,\"bytes\":10,\"unknown\":true}";

    MoverResult r = MoverResult.parse(message).orElseThrow();

    assertThat(r.destination()).isEqualTo("s3:b/p");
    assertThat(r.files()).isEqualTo(3);
    assertThat(r.bytes()).isEqualTo(10);
  }

  @Test
  void findsTheResultAfterLogLinesAndFallsBackToTheLastLine() {
    assertThat(MoverResult.summary("starting\n{\"operation\":\"backup\",\"message\":\"TLS_HOST must be true or false\"}\n"))
        .isEqualTo("TLS_HOST must be true or false");
    assertThat(MoverResult.summary("line one\npanic: runtime error\n")).isEqualTo("panic: runtime error");
    assertThat(MoverResult.parse("{not json")).isEmpty();
    assertThat(MoverResult.summary(null)).isEmpty();
  }
}

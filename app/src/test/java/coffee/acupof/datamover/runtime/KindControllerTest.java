package coffee.acupof.datamover.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.kubernetes.client.extended.controller.reconciler.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A controller whose operator stops while its thread is still starting ends quietly. */
class KindControllerTest {
  @Test
  void runningAfterShutdownReturnsWithoutAnError() {
    KindController controller = KindController.of(
        "test",
        KindController.queue("Test", Duration.ofMillis(5), Duration.ofSeconds(1), 10, new SimpleMeterRegistry()),
        request -> new Result(false),
        1,
        List.of());

    controller.shutdown();

    assertThatCode(controller::run).doesNotThrowAnyException();
  }
}

package coffee.acupof.datamover.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.Fixtures;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverStatus;
import coffee.acupof.datamover.api.Phase;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.controller.reconciler.Result;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reconcile never acts on an object whose last status write the cache has not seen yet: the step's
 * side effects would run twice and its Event would be lost to the conflicting write.
 */
class KindReconcilerTest {
  private final Cache<DataMover> cache = new Cache<>();
  private final List<String> written = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private int steps;

  private final KindReconciler<DataMover, DataMoverStatus> reconciler = new KindReconciler<>(
      DataMoverApi.DATAMOVERS,
      new Lister<>(cache),
      (dm, now) -> {
        steps++;
        return Step.of(new DataMoverStatus.Builder().phase(Phase.CREATING_CLONED_PVC).message("step " + steps).build())
            .notice(Notice.normal("Stepped", "step " + steps));
      },
      new StatusWriter(new ApiClient()) {
        @Override
        public <T extends ManagedResource<?>> T write(ResourceKind<T, ?> kind, T object, Object status) {
          written.add(object.getMetadata().getResourceVersion());
          return object;
        }
      },
      new EventRecorder(new EventRecorder.Sink() {
        @Override
        public boolean create(CoreV1Event event) {
          events.add(event.getReason());
          return true;
        }

        @Override
        public boolean update(String namespace, String name, int count, OffsetDateTime lastTimestamp, String message) {
          return true;
        }
      }, "test", Clock.systemUTC()),
      Clock.systemUTC(),
      new SimpleMeterRegistry());

  @Test
  void anObjectIsNotReconciledAgainUntilTheCacheHasSeenItsStatusWrite() {
    DataMover dm = Fixtures.dataMover("backup");
    dm.getMetadata().resourceVersion("10");
    cache.add(dm);
    Request request = new Request(Fixtures.NS, "backup");

    reconciler.reconcile(request);
    Result early = reconciler.reconcile(request);

    assertThat(steps).as("woken again before the watch delivered the write: no second step").isEqualTo(1);
    assertThat(early.isRequeue()).isTrue();
    assertThat(early.getRequeueAfter()).isEqualTo(KindReconciler.CACHE_CATCH_UP);
    assertThat(written).containsExactly("10");
    assertThat(events).containsExactly("Stepped");

    DataMover seen = Fixtures.dataMover("backup");
    seen.getMetadata().resourceVersion("11");
    seen.status(new DataMoverStatus.Builder().phase(Phase.CREATING_CLONED_PVC).message("step 1").build());
    cache.update(seen);
    reconciler.reconcile(request);

    assertThat(steps).as("once the cache holds the written status, the object goes on").isEqualTo(2);
    assertThat(written).containsExactly("10", "11");
    assertThat(events).containsExactly("Stepped", "Stepped");
  }
}

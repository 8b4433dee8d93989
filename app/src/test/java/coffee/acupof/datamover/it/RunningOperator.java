package coffee.acupof.datamover.it;

import coffee.acupof.datamover.DataMoverApplication;
import coffee.acupof.datamover.controller.LeadershipLossHandler;
import coffee.acupof.datamover.controller.OperatorLifecycle;
import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The operator's real Spring context, started in this JVM against the test API server and serving
 * one namespace, with short leases so a successor takes over fast. Losing the lease is recorded
 * instead of ending the JVM.
 */
public final class RunningOperator implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final AtomicBoolean leaseLost = new AtomicBoolean();

  private RunningOperator(String namespace, Map<String, Object> overrides, Clock clock) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("datamover.kubeconfig", TestCluster.server().kubeconfig().toString());
    props.put("datamover.watch-namespace", namespace);
    props.put("datamover.leader-election.namespace", namespace);
    props.put("datamover.leader-election.lease-duration", "4s");
    props.put("datamover.leader-election.renew-deadline", "3s");
    props.put("datamover.leader-election.retry-period", "500ms");
    props.put("datamover.queue.base-delay", "100ms");
    props.put("datamover.queue.max-delay", "2s");
    props.put("server.port", "0");
    props.put("spring.main.banner-mode", "off");
    props.putAll(overrides);
    context =
        new SpringApplicationBuilder(DataMoverApplication.class)
            .initializers(
                ctx -> {
                  ctx.getBeanFactory()
                      .registerSingleton("testLeadershipLossHandler", (LeadershipLossHandler) () -> leaseLost.set(true));
                  if (clock != null) {
                    // Replaces the operator's system clock: the test moves time instead of waiting.
                    ctx.getBeanFactory().registerSingleton("testClock", clock);
                  }
                })
            // As command-line arguments, so they win over application.yml as a user's flags would.
            .run(props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
  }

  public static RunningOperator start(String namespace) {
    return new RunningOperator(namespace, Map.of(), null);
  }

  public static RunningOperator start(String namespace, Map<String, Object> overrides) {
    return new RunningOperator(namespace, overrides, null);
  }

  /** The operator with {@code clock} as its clock (e.g. a {@link MovableClock}). */
  public static RunningOperator start(String namespace, Map<String, Object> overrides, Clock clock) {
    return new RunningOperator(namespace, overrides, clock);
  }

  /**
   * Reconciles one object of a kind now, as the requeue timer would once the (moved) clock reached
   * its time: {@code queueBean} is the kind's work queue bean, e.g. {@code scheduleQueue}.
   */
  @SuppressWarnings("unchecked")
  public void wake(String queueBean, String namespace, String name) {
    context.getBean(queueBean, RateLimitingQueue.class).add(new Request(namespace, name));
  }

  public boolean isLeading() {
    return context.getBean(OperatorLifecycle.class).isLeading();
  }

  public boolean leaseLost() {
    return leaseLost.get();
  }

  public int port() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /** GETs a path of the operator's HTTP server (Actuator); returns status code and body. */
  public HttpResponse<String> http(String path) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public <T> T bean(String name, Class<T> type) {
    return context.getBean(name, type);
  }

  @Override
  public void close() {
    context.close();
  }
}

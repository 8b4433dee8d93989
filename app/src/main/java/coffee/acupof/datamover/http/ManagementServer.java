package coffee.acupof.datamover.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The operator's only HTTP server: Actuator's health groups and Prometheus endpoint ({@link ActuatorRoutes}) on
 * {@code server.port} (default 8080; 0 picks a free port, published as {@code local.server.port} as Spring Boot
 * does), with the JDK's own HTTP server instead of Tomcat and Spring MVC. Probes and scrapes are a handful of
 * small GETs; the servlet stack (with the Jackson 3 it brings) was about 2,300 of the 10,700 classes loaded at
 * start, a sixth of the idle memory and 0.6 s of every start (docs/benchmarks.md). It starts before the
 * operator's lifecycle and stops after it, so that probes answer while the lease is taken and given back.
 */
@Component
class ManagementServer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
  /** Requests are answered from memory in microseconds; two threads keep a slow client from blocking a probe. */
  private static final int THREADS = 2;
  /** How long a stop waits for requests in flight. */
  private static final int STOP_SECONDS = 1;

  private final ActuatorRoutes routes;
  private final ConfigurableEnvironment environment;
  private final int port;
  private final String address;
  private HttpServer server;
  private ExecutorService executor;

  ManagementServer(ActuatorRoutes routes, ConfigurableEnvironment environment, @Value("${server.port:8080}") int port,
      @Value("${server.address:}") String address) {
    this.routes = routes;
    this.environment = environment;
    this.port = port;
    this.address = address;
  }

  @Override
  public synchronized void start() {
    try {
      InetSocketAddress bind = address.isBlank() ? new InetSocketAddress(port)
          : new InetSocketAddress(InetAddress.getByName(address), port);
      server = HttpServer.create(bind, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on port " + port + " (server.port): " + e.getMessage(), e);
    }
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newFixedThreadPool(THREADS,
        r -> Thread.ofPlatform().daemon().name("http-" + threads.incrementAndGet()).unstarted(r));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    int bound = server.getAddress().getPort();
    environment.getPropertySources().addFirst(new MapPropertySource("server.ports", Map.of("local.server.port", bound)));
    log.info("Serving Actuator at {} on port {}", routes.index(), bound);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      ActuatorRoutes.Response response;
      if (!method.equals("GET") && !method.equals("HEAD")) {
        response = ActuatorRoutes.Response.text(405, "Only GET and HEAD are served\n");
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      } else {
        response = answer(exchange);
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      byte[] body = response.body();
      boolean noBody = method.equals("HEAD") || body.length == 0;
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private ActuatorRoutes.Response answer(HttpExchange exchange) {
    try {
      return routes.answer(exchange.getRequestURI(), exchange.getRequestHeaders().getFirst("Accept"),
          "http://" + hostHeader(exchange));
    } catch (RuntimeException e) {
      log.warn("Answering GET {} failed", exchange.getRequestURI(), e);
      return ActuatorRoutes.Response.text(500, "Internal error; see the operator's log\n");
    }
  }

  private static String hostHeader(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return host != null && !host.isBlank() ? host : "localhost:" + exchange.getLocalAddress().getPort();
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      server.stop(STOP_SECONDS);
      executor.shutdownNow();
      server = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Before the operator's lifecycle (the default phase) on start, after it on stop, as Spring Boot's web server. */
  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 2048;
  }
}

package coffee.acupof.datamover.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.SystemHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * What {@link ManagementServer} answers, at Actuator's paths and in Actuator's JSON, from Actuator's own endpoint
 * beans: {@code /actuator/health} and its groups and components ({@code /actuator/health/readiness}, 503 unless
 * UP, as Actuator's status mapping says), {@code /actuator/prometheus} (the Prometheus text format, or OpenMetrics
 * or protobuf when the scraper's {@code Accept} header prefers it; {@code includedNames} filters), {@code
 * /actuator/info} and the {@code /actuator} index.
 */
@Component
class ActuatorRoutes {
  private static final String JSON = "application/json";
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  /** A response: status, content type and body. */
  record Response(int status, String contentType, byte[] body) {
    static Response text(int status, String text) {
      return new Response(status, "text/plain;charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static Response json(int status, Object tree) {
      return new Response(status, JSON, GSON.toJson(tree).getBytes(StandardCharsets.UTF_8));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final String base;
  private final ObjectProvider<HealthEndpoint> health;
  private final ObjectProvider<HttpCodeStatusMapper> statusMapper;
  private final ObjectProvider<PrometheusScrapeEndpoint> prometheus;
  private final ObjectProvider<InfoEndpoint> info;

  /**
   * @param basePath Actuator's {@code management.endpoints.web.base-path}, {@code /actuator} unless set
   */
  ActuatorRoutes(@Value("${management.endpoints.web.base-path:/actuator}") String basePath,
      ObjectProvider<HealthEndpoint> health, ObjectProvider<HttpCodeStatusMapper> statusMapper,
      ObjectProvider<PrometheusScrapeEndpoint> prometheus, ObjectProvider<InfoEndpoint> info) {
    String trimmed = basePath.strip().replaceAll("/+$", "");
    this.base = trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    this.health = health;
    this.statusMapper = statusMapper;
    this.prometheus = prometheus;
    this.info = info;
  }

  /**
   * @param uri the request's URI
   * @param accept the request's {@code Accept} header, or null
   * @param origin scheme, host and port the client used, for the links of the index
   */
  Response answer(URI uri, String accept, String origin) {
    String path = uri.getPath();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.equals(index())) {
      return index(origin);
    }
    if (path.equals(base + "/health") || path.startsWith(base + "/health/")) {
      String rest = path.substring((base + "/health").length());
      return health(rest.isEmpty() ? new String[0] : rest.substring(1).split("/"));
    }
    if (path.equals(base + "/prometheus") && prometheus.getIfAvailable() != null) {
      return prometheus(accept, includedNames(uri.getRawQuery()));
    }
    if (path.equals(base + "/info") && info.getIfAvailable() != null) {
      return Response.json(200, info.getObject().info());
    }
    return Response.text(404, "Not found: " + path + ". This server answers " + index() + ", " + base + "/health[/<group>], "
        + base + "/prometheus and " + base + "/info.\n");
  }

  /** The path of the index, e.g. {@code /actuator}; the others are below it. */
  String index() {
    return base.isEmpty() ? "/" : base;
  }

  private Response index(String origin) {
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("self", link(origin + base, false));
    links.put("health", link(origin + base + "/health", false));
    links.put("health-path", link(origin + base + "/health/{*path}", true));
    links.put("info", link(origin + base + "/info", false));
    links.put("prometheus", link(origin + base + "/prometheus", false));
    return Response.json(200, Map.of("_links", links));
  }

  private static Map<String, Object> link(String href, boolean templated) {
    Map<String, Object> link = new LinkedHashMap<>();
    link.put("href", href);
    link.put("templated", templated);
    return link;
  }

  private Response health(String[] path) {
    HealthEndpoint endpoint = health.getIfAvailable();
    HealthDescriptor descriptor = endpoint == null ? null : path.length == 0 ? endpoint.health() : endpoint.healthForPath(path);
    if (descriptor == null) {
      return Response.text(404, "No health group or component " + String.join("/", path) + "\n");
    }
    HttpCodeStatusMapper mapper = statusMapper.getIfAvailable(HttpCodeStatusMapper::getDefault);
    return Response.json(mapper.getStatusCode(descriptor.getStatus()), tree(descriptor));
  }

  /** A descriptor as Actuator's JSON has it: status (and description), then components, details or groups. */
  private static Map<String, Object> tree(HealthDescriptor descriptor) {
    Map<String, Object> tree = new LinkedHashMap<>();
    Status status = descriptor.getStatus();
    tree.put("status", status.getCode());
    if (!status.getDescription().isEmpty()) {
      tree.put("description", status.getDescription());
    }
    if (descriptor instanceof CompositeHealthDescriptor composite && composite.getComponents() != null
        && !composite.getComponents().isEmpty()) {
      Map<String, Object> components = new LinkedHashMap<>();
      composite.getComponents().forEach((name, component) -> components.put(name, tree(component)));
      tree.put("components", components);
    }
    if (descriptor instanceof IndicatedHealthDescriptor indicated && !indicated.getDetails().isEmpty()) {
      tree.put("details", indicated.getDetails());
    }
    if (descriptor instanceof SystemHealthDescriptor system && system.getGroups() != null && !system.getGroups().isEmpty()) {
      tree.put("groups", system.getGroups());
    }
    return tree;
  }

  private Response prometheus(String accept, Set<String> includedNames) {
    WebEndpointResponse<byte[]> scraped = prometheus.getObject().scrape(format(accept), includedNames);
    MimeType type = scraped.getContentType();
    byte[] body = scraped.getBody() == null ? new byte[0] : scraped.getBody();
    return new Response(scraped.getStatus(), type == null ? "text/plain" : type.toString(), body);
  }

  /** The format the {@code Accept} header prefers (highest {@code q} first, then in order), else text 0.0.4. */
  static PrometheusOutputFormat format(String accept) {
    if (accept == null || accept.isBlank()) {
      return PrometheusOutputFormat.CONTENT_TYPE_004;
    }
    List<MimeType> wanted;
    try {
      wanted = MimeTypeUtils.parseMimeTypes(accept);
    } catch (RuntimeException e) {
      return PrometheusOutputFormat.CONTENT_TYPE_004;
    }
    for (MimeType type : wanted.stream().sorted(Comparator.comparingDouble(ActuatorRoutes::quality).reversed()).toList()) {
      if (quality(type) <= 0) {
        break;
      }
      if (type.isWildcardType() || type.isWildcardSubtype() && type.getType().equals("text")) {
        return PrometheusOutputFormat.CONTENT_TYPE_004;
      }
      for (PrometheusOutputFormat format : PrometheusOutputFormat.values()) {
        if (type.isCompatibleWith(format.getProducedMimeType())) {
          return format;
        }
      }
    }
    return PrometheusOutputFormat.CONTENT_TYPE_004;
  }

  private static double quality(MimeType type) {
    String q = type.getParameter("q");
    try {
      return q == null ? 1 : Double.parseDouble(q);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Set<String> includedNames(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    Set<String> names = Arrays.stream(rawQuery.split("&"))
        .filter(p -> p.startsWith("includedNames="))
        .flatMap(p -> Arrays.stream(URLDecoder.decode(p.substring("includedNames=".length()), StandardCharsets.UTF_8).split(",")))
        .filter(n -> !n.isBlank())
        .collect(Collectors.toCollection(LinkedHashSet::new));
    return names.isEmpty() ? null : names;
  }
}

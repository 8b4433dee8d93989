package coffee.acupof.datamover.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The objects of a rendered kustomization, as plain maps, with the few look-ups the tests need. */
record Manifests(List<Map<String, Object>> objects) {

  static Manifests parse(String yaml) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml().loadAll(yaml)) {
      if (document != null) {
        objects.add(map(document));
      }
    }
    return new Manifests(List.copyOf(objects));
  }

  static String kind(Map<String, Object> object) {
    return (String) object.get("kind");
  }

  static String apiVersion(Map<String, Object> object) {
    return (String) object.get("apiVersion");
  }

  static String name(Map<String, Object> object) {
    return (String) map(object.get("metadata")).get("name");
  }

  /** The objects of this kind. */
  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(kind(o))).toList();
  }

  /** The single object of this kind and name. */
  Map<String, Object> get(String kind, String name) {
    List<Map<String, Object>> found = ofKind(kind).stream().filter(o -> name.equals(name(o))).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size());
    }
    return found.getFirst();
  }

  /** These objects without those of the given kinds. */
  Manifests without(String... kinds) {
    List<String> excluded = List.of(kinds);
    return new Manifests(objects.stream().filter(o -> !excluded.contains(kind(o))).toList());
  }

  Manifests only(String... kinds) {
    List<String> included = List.of(kinds);
    return new Manifests(objects.stream().filter(o -> included.contains(kind(o))).toList());
  }

  /** A multi-document YAML stream of these objects. */
  String toYaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dumpAll(objects.iterator());
  }

  /** {@code object} at the path of map keys and list indexes, e.g. {@code at(d, "spec", "template")}. */
  static Object at(Object object, Object... path) {
    Object current = object;
    for (Object step : path) {
      Objects.requireNonNull(current, () -> "nothing at " + List.of(path));
      current = step instanceof Integer index ? ((List<?>) current).get(index) : map(current).get(step);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object object) {
    return (Map<String, Object>) object;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object object) {
    return object == null ? List.of() : (List<Object>) object;
  }
}

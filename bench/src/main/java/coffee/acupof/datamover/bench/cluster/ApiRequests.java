package coffee.acupof.datamover.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API requests counted by kube-apiserver ({@code apiserver_request_total}) during a measured window, per verb and
 * resource, with who sends them. The metric does not name the client; the benchmark knows which requests
 * only the operator makes (it writes through five calls: create/delete of clones and Jobs, status patches,
 * Events, the Lease), which the real kube-controller-manager (Job controller, PV binder, PVC protection) and
 * kube-scheduler make, and which come from the test kit playing kubelet and CSI driver or from the benchmark's
 * driver and watches.
 *
 * @param request verb and resource, e.g. {@code PATCH datamovers/status}
 * @param count requests in the window
 * @param perObject count divided by the objects of the window
 * @param sender {@code operator}, {@code controller-manager}, {@code scheduler}, {@code test kit} or
 *     {@code any (watch, list, discovery)}
 */
public record ApiRequests(String request, double count, double perObject, String sender) {
  private static final Set<String> OPERATOR = Set.of(
      "POST persistentvolumeclaims", "DELETE persistentvolumeclaims", "POST jobs", "DELETE jobs", "POST events",
      "PATCH events", "PATCH datamovers/status", "GET leases", "PUT leases", "POST leases");
  /** The Job controller (pods, their tracking finalizers, Job status) and the PV binder. */
  private static final Set<String> CONTROLLER_MANAGER = Set.of("POST pods", "PATCH pods", "PUT jobs/status",
      "PUT persistentvolumeclaims", "PATCH persistentvolumeclaims", "PUT persistentvolumeclaims/status",
      "PUT persistentvolumes", "PUT persistentvolumes/status", "DELETECOLLECTION pods");

  static List<ApiRequests> of(Map<String, Double> delta, int objects) {
    List<ApiRequests> rows = new ArrayList<>();
    delta.forEach((request, count) -> rows.add(new ApiRequests(request, count, count / objects, sender(request))));
    rows.sort((a, b) -> Double.compare(b.count(), a.count()));
    return rows;
  }

  private static String sender(String request) {
    if (OPERATOR.contains(request)) {
      return "operator";
    }
    if (CONTROLLER_MANAGER.contains(request)) {
      return "controller-manager";
    }
    return switch (request) {
      case "POST pods/binding" -> "scheduler";
      case "DELETE pods" -> "controller-manager and test kit (the kubelet ends a deleted pod)";
      case "LIST pods" -> "controller-manager (PVC protection lists live pods)";
      default -> request.startsWith("WATCH ") || request.startsWith("LIST ") || request.startsWith("GET /")
          ? "any (watch, list, discovery)"
          : "test kit (played kubelet and CSI driver, the benchmark's driver)";
    };
  }

  /** The operator's requests per object, leaving out the Lease (renewed on a timer, not per object). */
  static double operatorPerObject(List<ApiRequests> rows) {
    return rows.stream().filter(r -> r.sender().equals("operator") && !r.request().endsWith(" leases"))
        .mapToDouble(ApiRequests::perObject).sum();
  }
}

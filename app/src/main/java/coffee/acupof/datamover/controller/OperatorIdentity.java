package coffee.acupof.datamover.controller;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Who this operator process is (the leader-election identity, the Event reporting instance) and
 * which namespace it runs in.
 */
public record OperatorIdentity(String name, String namespace) {
  private static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  static OperatorIdentity detect() {
    String host = System.getenv("POD_NAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "datamover-operator";
      }
    }
    String namespace = System.getenv("POD_NAMESPACE");
    if ((namespace == null || namespace.isBlank()) && Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      try {
        namespace = Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip();
      } catch (IOException e) {
        namespace = null;
      }
    }
    String unique = host + "_" + UUID.randomUUID().toString().substring(0, 8);
    return new OperatorIdentity(unique, namespace == null || namespace.isBlank() ? "default" : namespace);
  }
}

package coffee.acupof.datamover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out TCP ports on 127.0.0.1 that were free a moment ago.
 *
 * <p>A port is free when the operating system lets us bind it; we release it at once so a server
 * process can take it. Another process could grab it in between, so start the server right after
 * asking. Within this JVM a port is never handed out twice.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** Returns a loopback port that was free when asked and that this JVM has not handed out yet. */
  public static synchronized int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = bindAndRelease();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("found no free loopback port in 100 attempts");
  }

  private static int bindAndRelease() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a port on 127.0.0.1", e);
    }
  }
}

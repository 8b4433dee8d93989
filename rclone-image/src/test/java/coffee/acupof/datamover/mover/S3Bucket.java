package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.testkit.S3Server;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3Proxy on 127.0.0.1 with one bucket for a test class: started before its first test, stopped after its
 * last. Register it as {@code @RegisterExtension static final S3Bucket bucket = new S3Bucket("name");}.
 */
final class S3Bucket implements BeforeAllCallback, AfterAllCallback {

  private final String name;
  private S3Server server;

  S3Bucket(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = S3Server.start();
    server.createBucket(name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** A mover with the S3 form (a) for this bucket, the server's secret key registered as a secret. */
  Mover mover(java.nio.file.Path scratch) {
    return new Mover(scratch).env(Mover.s3Form(server, name)).secret(server.secretKey());
  }

  /** The running server. */
  S3Server s3() {
    return server;
  }
}

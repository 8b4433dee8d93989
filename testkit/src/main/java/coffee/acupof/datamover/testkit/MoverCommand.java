package coffee.acupof.datamover.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How tests, the local executor and the sandbox start the mover: the Java program of {@code rclone-image} as
 * {@code java -jar datamover-mover.jar}, with the JVM options of the image ({@code rclone-image/jvm-options}) and a
 * UTF-8 locale (file names are
 * decoded with the locale's charset, as in the image, whose musl C library always uses UTF-8). The operation and
 * the environment follow as for the image's entrypoint; rclone is found on {@code PATH}.
 *
 * <p>The jar comes from the system property {@code mover.jar} (set by the Maven build), else
 * {@code <repo>/rclone-image/target/datamover-mover.jar}; the JVM is this one, or the {@code jlink} runtime given to
 * {@link #through(Path)}.
 */
public final class MoverCommand {

  private MoverCommand() {}

  /** The command that runs the mover with this JVM. */
  public static List<String> command() {
    return through(Path.of(System.getProperty("java.home")));
  }

  /** The command that runs the mover with the Java runtime (a JDK or a jlink image) at {@code javaHome}. */
  public static List<String> through(Path javaHome) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/env", "LC_ALL=C.UTF-8",
        javaHome.resolve("bin/java").toString()));
    // The JVM options of the image, from the one file both read (a java @argument file).
    command.add("@" + Rclone.repositoryRoot().resolve("rclone-image/jvm-options"));
    command.addAll(List.of("-jar", jar().toString()));
    return command;
  }

  /** The mover's runnable jar. */
  public static Path jar() {
    Path jar = Optional.ofNullable(System.getProperty("mover.jar"))
        .filter(value -> !value.isBlank() && !value.contains("${"))
        .map(Path::of)
        .orElseGet(() -> Rclone.repositoryRoot().resolve("rclone-image/target/datamover-mover.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the mover jar " + jar + " does not exist: build it with"
          + " mvn -pl rclone-image -am package -DskipTests (or hack/mover.sh builds it)");
    }
    return jar.toAbsolutePath();
  }
}

package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.TimedCommand;
import coffee.acupof.datamover.testkit.MoverCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DataMover mover run as its Job container would run it (the contract's S3 variables, {@code MOVER_*}), on a
 * fixed path or with one folder per point in time. It is started as the tests and the local executor start it
 * ({@link MoverCommand}: its jar with the image's JVM options), on the Java runtime given, which
 * {@code hack/bench.sh} builds with {@code jlink} from the image's module list.
 *
 * @param name short name for the results
 * @param timestamped {@code ADD_TIMESTAMP_PREFIX=true}
 * @param javaHome the Java runtime the mover runs on (a jlink image like the container's, or a JDK)
 * @param rclone the pinned rclone, first on the mover's PATH
 */
record OurMover(String name, boolean timestamped, Path javaHome, Path rclone) implements Contender {

  /** The AOT cache in the runtime's directory, as {@code hack/bench.sh} trains it (the image's mover.aot). */
  static final String AOT_CACHE = "mover.aot";

  static OurMover fixedPath(Path javaHome, Path rclone) {
    return new OurMover("mover-fixed", false, javaHome, rclone);
  }

  static OurMover pointInTime(Path javaHome, Path rclone) {
    return new OurMover("mover-timestamped", true, javaHome, rclone);
  }

  @Override
  public boolean ourMover() {
    return true;
  }

  @Override
  public String description() {
    return "`java @rclone-image/jvm-options" + (Files.isRegularFile(javaHome.resolve(AOT_CACHE))
        ? " -XX:AOTCache=" + AOT_CACHE : "") + " -jar datamover-mover.jar backup|restore` on the Java runtime "
        + javaHome.getFileName() + ", ADD_TIMESTAMP_PREFIX=" + timestamped;
  }

  @Override
  public TimedCommand backup(Destination destination, Path source, String pointInTime, Path runDir) {
    Map<String, String> env = environment(destination, source, runDir);
    if (timestamped) {
      env.put("MOVER_TIMESTAMP", pointInTime);
    }
    return command("backup", env, runDir);
  }

  @Override
  public TimedCommand restore(Destination destination, Path target, Path runDir) {
    Map<String, String> env = environment(destination, target, runDir);
    env.put("MOVER_RESTORE_POINT", timestamped ? "latest" : "fixed");
    return command("restore", env, runDir);
  }

  private TimedCommand command(String operation, Map<String, String> env, Path runDir) {
    List<String> command = new ArrayList<>(MoverCommand.through(javaHome));
    // As the image's entrypoint: with the AOT cache of a training run, when hack/bench.sh made one.
    Path aotCache = javaHome.resolve(AOT_CACHE);
    if (Files.isRegularFile(aotCache)) {
      command.add(command.indexOf("-jar"), "-XX:AOTCache=" + aotCache);
    }
    command.add(operation);
    return new TimedCommand(command, env, runDir.resolve("run.log"));
  }

  private Map<String, String> environment(Destination destination, Path dataDir, Path runDir) {
    S3Target server = destination.server();
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", server.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server.secretKey());
    env.put("AWS_REGION", "us-east-1");
    env.put("BUCKET_HOST", "127.0.0.1");
    env.put("BUCKET_PORT", Integer.toString(server.port()));
    env.put("BUCKET_NAME", destination.bucket());
    env.put("TLS_HOST", "false");
    env.put("MOVER_PATH", destination.path());
    env.put("MOVER_SOURCE", "bench/" + destination.path());
    env.put("ADD_TIMESTAMP_PREFIX", Boolean.toString(timestamped));
    env.put("MOVER_DATA_DIR", dataDir.toString());
    env.put("MOVER_RESULT_FILE", runDir.resolve("result.json").toString());
    env.put("PATH", rclone.getParent() + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", runDir.toString());
    env.put("TMPDIR", runDir.toString());
    return env;
  }
}

package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.TimedCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DataMover mover run as its Job container would run it (contract v1: the old operator's S3 variables,
 * {@code MOVER_*}), on a fixed path or with one folder per point in time.
 *
 * @param name short name for the results
 * @param timestamped {@code ADD_TIMESTAMP_PREFIX=true}
 * @param repo the repository root
 * @param rclone the pinned rclone, first on the mover's PATH
 */
record OurMover(String name, boolean timestamped, Path repo, Path rclone) implements Contender {

  /**
   * How the benchmark launches the mover: the one place to change when the Java mover lands (then
   * {@code List.of(repo.resolve("hack/mover.sh").toString())}).
   */
  static List<String> launch(Path repo) {
    return List.of("bash", repo.resolve("rclone-image/entrypoint.sh").toString());
  }

  /** True while {@link #launch} runs the bash mover that issue 8 replaces: its figures are preliminary. */
  static boolean preliminary(Path repo) {
    return launch(repo).stream().anyMatch(part -> part.endsWith("entrypoint.sh"));
  }

  static OurMover fixedPath(Path repo, Path rclone) {
    return new OurMover("mover-fixed", false, repo, rclone);
  }

  static OurMover pointInTime(Path repo, Path rclone) {
    return new OurMover("mover-timestamped", true, repo, rclone);
  }

  @Override
  public boolean ourMover() {
    return true;
  }

  @Override
  public String description() {
    List<String> shown = launch(repo).stream()
        .map(part -> part.startsWith(repo.toString()) ? repo.relativize(Path.of(part)).toString() : part)
        .toList();
    return "`" + String.join(" ", shown) + " backup|restore` with ADD_TIMESTAMP_PREFIX=" + timestamped
        + (preliminary(repo) ? " (the bash mover; preliminary until the Java mover lands)" : "");
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
    List<String> command = new ArrayList<>(launch(repo));
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

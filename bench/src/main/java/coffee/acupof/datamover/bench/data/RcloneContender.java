package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.TimedCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rclone sync} with a fixed set of flags, as a peer's mover runs it (backup: volume to remote; restore:
 * remote to volume).
 *
 * @param name short name for the results
 * @param whose whose settings these are, for the report
 * @param flags the flags after {@code rclone sync}
 * @param baseline whether this is the baseline (rclone's defaults)
 * @param rclone the rclone executable
 */
record RcloneContender(String name, String whose, List<String> flags, boolean baseline, Path rclone) implements Contender {

  /** {@code rclone sync} with its defaults: the practical limit every ratio is taken against. */
  static RcloneContender defaults(Path rclone) {
    return new RcloneContender("rclone-defaults", "rclone's defaults (the baseline)", List.of(), true, rclone);
  }

  /**
   * The main sync of VolSync's rclone mover (mover-rclone/active.sh): checksums, 10 transfers, debug log. Its
   * extra steps (getfacl over the volume, a second copy for the ACL file) are left out, which favours it.
   */
  static RcloneContender volSync(Path rclone) {
    return new RcloneContender("volsync-flags", "VolSync's rclone mover, its sync step",
        List.of("--checksum", "--one-file-system", "--create-empty-src-dirs", "--stats", "20s", "--transfers", "10",
            "--log-level", "DEBUG"),
        false, rclone);
  }

  /** What the Go DataMover Operator's image runs: {@code rclone sync -v}. */
  static RcloneContender goOperator(Path rclone) {
    return new RcloneContender("go-operator-flags", "the Go DataMover Operator", List.of("-v"), false, rclone);
  }

  @Override
  public String description() {
    return "`rclone sync" + (flags.isEmpty() ? "" : " " + String.join(" ", flags)) + "` (" + whose + ")";
  }

  @Override
  public TimedCommand backup(Destination destination, Path source, String pointInTime, Path runDir) {
    return sync(destination, source.toString(), destination.remotePath(), runDir);
  }

  @Override
  public TimedCommand restore(Destination destination, Path target, Path runDir) {
    return sync(destination, destination.remotePath(), target.toString(), runDir);
  }

  private TimedCommand sync(Destination destination, String from, String to, Path runDir) {
    List<String> command = new ArrayList<>(List.of(rclone.toString(), "sync"));
    command.addAll(flags);
    command.addAll(List.of(from, to));
    Map<String, String> env = new HashMap<>(destination.server().rcloneRemote(Destination.REMOTE));
    env.put("RCLONE_CONFIG", "/dev/null");
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", runDir.toString());
    env.put("TMPDIR", runDir.toString());
    return new TimedCommand(command, env, runDir.resolve("run.log"));
  }
}

package coffee.acupof.datamover.rclonemover;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The rclone binary behind one method, so the mover's logic can be tested without a server: {@link RcloneProcess}
 * runs the real binary, tests may script answers.
 */
public interface Rclone {

  /** Runs rclone once and waits for it. Never throws for a non-zero exit: the caller reads {@link Outcome}. */
  Outcome run(Call call);

  /**
   * One invocation.
   *
   * @param args rclone's arguments (never a secret: secrets travel in the environment or a 0600 file)
   * @param stdout where rclone's standard output goes; empty discards it
   * @param stdin bytes for rclone's standard input (e.g. {@code rcat}, {@code obscure -}); empty gives none
   * @param progress whether rclone's periodic statistics are reported as progress lines
   */
  record Call(List<String> args, Optional<Path> stdout, Optional<byte[]> stdin, boolean progress) {

    public static Call of(String... args) {
      return new Call(List.of(args), Optional.empty(), Optional.empty(), false);
    }

    public static Call of(List<String> args) {
      return new Call(List.copyOf(args), Optional.empty(), Optional.empty(), false);
    }

    public Call to(Path file) {
      return new Call(args, Optional.of(file), stdin, progress);
    }

    public Call input(byte[] bytes) {
      return new Call(args, stdout, Optional.of(bytes), progress);
    }

    public Call withProgress() {
      return new Call(args, stdout, stdin, true);
    }
  }

  /**
   * What one invocation reported.
   *
   * @param exitCode rclone's exit code (128 + n when a signal ended it)
   * @param stats the last statistics rclone logged, or zeros
   * @param errors its ERROR/CRITICAL log messages ({@code object: message}), masked
   * @param lastMessage the last log message that was not statistics, masked
   */
  record Outcome(int exitCode, Stats stats, List<String> errors, String lastMessage) {

    public boolean ok() {
      return exitCode == 0;
    }

    /** True when a signal (SIGINT, SIGKILL, SIGTERM) ended rclone. */
    public boolean signalled() {
      return exitCode == 130 || exitCode == 137 || exitCode == 143;
    }

    /** The most telling error: the last ERROR line, else the last message. */
    public String lastError() {
      return errors.isEmpty() ? lastMessage : errors.getLast();
    }

    /** True when the failure was "directory not found" (or a missing bucket), i.e. nothing there yet. */
    public boolean notFound() {
      String e = lastError();
      return e.contains("directory not found") || e.contains("NoSuchBucket") || e.contains("object not found");
    }
  }

  /** rclone's accounting statistics ({@code --stats} JSON), the fields the mover reports. */
  record Stats(long bytes, long totalBytes, long transfers, long totalTransfers, long checks, long errors,
      long deletes, long serverSideCopies, long serverSideCopyBytes, double speed, Optional<Long> etaSeconds,
      double elapsedSeconds) {

    public static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty(), 0);

    /** The counts of two transfers one after the other. */
    public Stats plus(Stats o) {
      return new Stats(bytes + o.bytes, totalBytes + o.totalBytes, transfers + o.transfers,
          totalTransfers + o.totalTransfers, checks + o.checks, errors + o.errors, deletes + o.deletes,
          serverSideCopies + o.serverSideCopies, serverSideCopyBytes + o.serverSideCopyBytes, 0, Optional.empty(),
          elapsedSeconds + o.elapsedSeconds);
    }
  }
}

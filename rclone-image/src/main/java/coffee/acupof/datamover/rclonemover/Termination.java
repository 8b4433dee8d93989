package coffee.acupof.datamover.rclonemover;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What happens on SIGTERM/SIGINT: the JVM's shutdown hook marks the run interrupted and stops rclone, the main
 * thread then fails the run with exit 3 ("interrupted", no marker written), prints and writes the result, and the
 * hook ends the process with that code. Under {@code tini -g} rclone receives the signal too; both paths end
 * the same way.
 */
public final class Termination {

  private static final long REPORT_WAIT_SECONDS = 20;

  private final Set<Process> children = ConcurrentHashMap.newKeySet();
  private final CountDownLatch reported = new CountDownLatch(1);
  private volatile boolean interrupted;
  private volatile int exitCode = 3;

  /** Installs the shutdown hook. */
  public static Termination install() {
    Termination termination = new Termination();
    Runtime.getRuntime().addShutdownHook(new Thread(termination::onSignal, "mover-termination"));
    return termination;
  }

  public boolean interrupted() {
    return interrupted;
  }

  /** Throws the contract's "interrupted" failure when a signal arrived. */
  public void check() {
    if (interrupted) {
      throw MoverFailure.interrupted();
    }
  }

  void started(Process process) {
    children.add(process);
    if (interrupted) {
      process.destroy();
    }
  }

  void finished(Process process) {
    children.remove(process);
  }

  /**
   * Called by the main thread once the result is out. Returns normally when no signal arrived (the caller exits);
   * after a signal it hands the code to the hook and waits to be ended.
   */
  public void reported(int code) {
    exitCode = code;
    reported.countDown();
    if (interrupted) {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(REPORT_WAIT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void onSignal() {
    if (reported.getCount() == 0) {
      // A normal System.exit, or a signal after the result was out: end with the reported code, not 128+n.
      Runtime.getRuntime().halt(exitCode);
    }
    interrupted = true;
    children.forEach(Process::destroy);
    try {
      reported.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(exitCode);
  }
}

package coffee.acupof.datamover.rclonemover;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Runs independent steps at the same time: most of an rclone call is process start and waiting for the remote, so
 * two calls that do not depend on each other (the volume listing and the reachability check, {@code rclone version}
 * and everything else) overlap instead of adding up.
 */
final class Concurrently {

  private Concurrently() {}

  /** A step running on its own thread. */
  static final class Pending<T> implements Supplier<T> {
    private final FutureTask<T> task;

    private Pending(FutureTask<T> task) {
      this.task = task;
    }

    /** Waits for the step; rethrows its failure (a {@link MoverFailure} as it was thrown). */
    @Override
    public T get() {
      try {
        return task.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw MoverFailure.interrupted();
      }
    }

    /** Waits for the step; its value, or {@code fallback} when it failed. */
    T orElse(T fallback) {
      try {
        return task.get();
      } catch (ExecutionException | RuntimeException e) {
        return fallback;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fallback;
      }
    }
  }

  /** Starts {@code step} on another thread. */
  static <T> Pending<T> start(String name, Supplier<T> step) {
    FutureTask<T> task = new FutureTask<>(step::get);
    Thread.ofPlatform().name("mover-" + name).daemon().start(task);
    return new Pending<>(task);
  }

  /** The values of two steps that ran at the same time. */
  record Both<A, B>(A background, B foreground) {}

  /**
   * Runs {@code background} on another thread while {@code foreground} runs on this one and returns both values
   * once both ended. A failure of the foreground step is reported before one of the background step, as if they had
   * run one after the other.
   */
  static <A, B> Both<A, B> both(String name, Supplier<A> background, Supplier<B> foreground) {
    Pending<A> other = start(name, background);
    B value;
    try {
      value = foreground.get();
    } catch (RuntimeException | Error e) {
      other.orElse(null); // the foreground's failure is the one reported
      throw e;
    }
    return new Both<>(other.get(), value);
  }

  /** {@link #both} for a background step without a value. */
  static <T> T alongside(String name, Runnable background, Supplier<T> foreground) {
    return both(name, () -> {
      background.run();
      return null;
    }, foreground).foreground();
  }
}

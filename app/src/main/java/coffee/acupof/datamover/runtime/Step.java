package coffee.acupof.datamover.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile of one object decided: the status it should have (written only when it
 * differs from the cached one), the Events to record and the metrics to update once that write
 * succeeded, and an optional delay after which to look again (deadlines and schedules only; watches
 * wake the object otherwise).
 */
public record Step<S>(S status, List<Notice> notices, Runnable afterWrite, Optional<Duration> requeueAfter) {

  public Step {
    notices = List.copyOf(notices);
  }

  /** A step to {@code status} with nothing to record yet. */
  public static <S> Step<S> of(S status) {
    return new Step<>(status, List.of(), () -> {}, Optional.empty());
  }

  public Step<S> notice(Notice notice) {
    List<Notice> all = new java.util.ArrayList<>(notices);
    all.add(notice);
    return new Step<>(status, all, afterWrite, requeueAfter);
  }

  public Step<S> afterWrite(Runnable more) {
    Runnable first = afterWrite;
    return new Step<>(status, notices, () -> {
      first.run();
      more.run();
    }, requeueAfter);
  }

  public Step<S> requeueAfter(Duration delay) {
    return new Step<>(status, notices, afterWrite, Optional.of(delay));
  }

  public Step<S> requeueAfter(Optional<Duration> delay) {
    return new Step<>(status, notices, afterWrite, delay);
  }
}

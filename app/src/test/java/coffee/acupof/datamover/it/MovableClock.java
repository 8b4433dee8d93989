package coffee.acupof.datamover.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that a test moves, given to the operator as its {@code Clock} bean: schedules see the time
 * the test sets instead of waiting for real minutes. Between moves it runs on with real time (so
 * whatever waits a few real seconds, such as a run settling after its creation, still gets them).
 */
public final class MovableClock extends Clock {
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  /** Jumps ahead by {@code duration}. */
  public void advance(Duration duration) {
    offset.updateAndGet(o -> o.plus(duration));
  }

  /** Jumps to {@code instant}, from where it runs on. */
  public void set(Instant instant) {
    offset.set(Duration.between(Instant.now(), instant));
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the operator works in UTC");
  }
}

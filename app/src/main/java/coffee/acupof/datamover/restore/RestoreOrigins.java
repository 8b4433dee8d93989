package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverSchedule;
import io.kubernetes.client.informer.cache.Lister;
import java.util.Optional;

/** Resolves a restore's {@link RestoreOrigin}: from its spec, or from the schedule it names (as the cache holds it). */
public class RestoreOrigins {
  private final Lister<DataMoverSchedule> schedules;

  public RestoreOrigins(Lister<DataMoverSchedule> schedules) {
    this.schedules = schedules;
  }

  /** The origin; empty when the restore names a schedule that does not exist. */
  public Optional<RestoreOrigin> of(RestoreRun run) {
    String schedule = run.spec().scheduleName();
    if (schedule == null || schedule.isBlank()) {
      return Optional.of(RestoreOrigin.of(run.spec()));
    }
    return Optional.ofNullable(schedules.namespace(run.namespace()).get(schedule)).map(RestoreOrigin::of);
  }
}

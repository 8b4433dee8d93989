package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.runtime.ManagedResource;
import coffee.acupof.datamover.runtime.phase.RunStatus;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One run kind as the mover-slot cap sees it, read from its informer: a run holds a slot while it is in
 * one of the holding phases and its mover Job has not finished; it waits while in the waiting phase
 * (since it entered it). It also tells the cap when a slot may have freed — a mover Job finished or
 * went, a run left the holding phases or went — so waiting runs of every kind are woken.
 */
public final class PhasedSlotSource<T extends ManagedResource<? extends RunStatus<?>>> implements MoverSlots.Source {
  /** The index this source adds to the run informer: the run's {@code status.phase}. */
  public static final String INDEX_BY_PHASE = "byPhase";

  private final String kind;
  private final SharedIndexInformer<T> runs;
  private final Set<String> holding;
  private final String waiting;
  private final Function<T, String> jobName;
  private final Lister<V1Job> jobs;

  /**
   * Adds the phase index to {@code runs}; call before the informers start.
   *
   * @param holding wire names of the phases in which a run holds a slot
   * @param waiting wire name of the phase in which a run waits for one
   * @param jobName the name of a run's mover Job
   */
  public PhasedSlotSource(
      String kind, SharedIndexInformer<T> runs, Set<String> holding, String waiting, Function<T, String> jobName,
      SharedIndexInformer<V1Job> jobInformer) {
    this.kind = kind;
    this.runs = runs;
    this.holding = Set.copyOf(holding);
    this.waiting = waiting;
    this.jobName = jobName;
    this.jobs = new Lister<>(jobInformer.getIndexer());
    runs.addIndexers(Map.of(INDEX_BY_PHASE, r -> List.of(phase(r))));
  }

  private static String phase(ManagedResource<? extends RunStatus<?>> run) {
    String phase = run.getStatus().phase();
    return phase == null ? "" : phase;
  }

  @Override
  public List<MoverSlots.Claim> holding() {
    List<MoverSlots.Claim> claims = new ArrayList<>();
    for (String phase : holding) {
      for (T run : runs.getIndexer().byIndex(INDEX_BY_PHASE, phase)) {
        V1Job job = jobs.namespace(run.namespace()).get(jobName.apply(run));
        if (job == null || !MoverJobState.finished(job)) {
          claims.add(claim(run));
        }
      }
    }
    return claims;
  }

  @Override
  public List<MoverSlots.Claim> waiting() {
    return runs.getIndexer().byIndex(INDEX_BY_PHASE, waiting).stream().map(this::claim).toList();
  }

  private MoverSlots.Claim claim(T run) {
    return new MoverSlots.Claim(kind, run.namespace(), run.name(), run.getStatus().phaseTransitionTime());
  }

  /** The runs waiting for a slot, for {@code wake} when one may have freed. */
  public void forEachWaiting(Consumer<T> wake) {
    runs.getIndexer().byIndex(INDEX_BY_PHASE, waiting).forEach(wake);
  }

  /** Calls {@code freed} whenever a slot of this kind may have freed. */
  public void onSlotFreed(SharedIndexInformer<V1Job> jobInformer, Runnable freed) {
    jobInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Job job) {}

      @Override
      public void onUpdate(V1Job before, V1Job after) {
        if (!MoverJobState.finished(before) && MoverJobState.finished(after)) {
          freed.run();
        }
      }

      @Override
      public void onDelete(V1Job job, boolean unknown) {
        freed.run();
      }
    });
    runs.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T run) {}

      @Override
      public void onUpdate(T before, T after) {
        if (holding.contains(phase(before)) && !holding.contains(phase(after))) {
          freed.run();
        }
      }

      @Override
      public void onDelete(T run, boolean unknown) {
        freed.run();
      }
    });
  }
}

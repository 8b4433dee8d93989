package coffee.acupof.datamover.runtime;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The informer of a kind whose CustomResourceDefinition belongs to another project and may be absent
 * (VolumeSnapshots): {@link Informers#whenInstalled} hands it out at start-up, and the informer itself is
 * built, set up and started only once that CRD is established in the cluster — at start-up or at any
 * later time. Until then the kind is simply not available: nothing waits for it, readiness included.
 *
 * <p>Indexers and event handlers are registered with {@link #configure} while the operator's beans are
 * wired; they are applied to the informer when it is built, before it starts.
 */
public final class OptionalInformer<T extends KubernetesObject> {
  /** Whether the kind can be used now. */
  public enum State {
    /** Its CRD is not installed (or not established yet). */
    ABSENT,
    /** Its CRD is there and the informer is filling its cache. */
    STARTING,
    /** The cache is synced: reads of it are complete. */
    READY
  }

  private final ResourceKind<T, ?> kind;
  private final Supplier<SharedIndexInformer<T>> build;
  private final List<Consumer<SharedIndexInformer<T>>> setup = new ArrayList<>();
  private final List<Runnable> installed = new ArrayList<>();
  private volatile SharedIndexInformer<T> informer;

  OptionalInformer(ResourceKind<T, ?> kind, Supplier<SharedIndexInformer<T>> build) {
    this.kind = kind;
    this.build = build;
  }

  public ResourceKind<T, ?> kind() {
    return kind;
  }

  /**
   * Adds a step (an indexer, an event handler) applied to the informer when it is built; at once when it
   * exists already (then only event handlers may be added: a running informer takes no new indexers).
   */
  public synchronized void configure(Consumer<SharedIndexInformer<T>> step) {
    setup.add(step);
    if (informer != null) {
      step.accept(informer);
    }
  }

  /** Runs {@code action} each time the kind becomes available (its informer was just started). */
  public synchronized void onInstalled(Runnable action) {
    installed.add(action);
  }

  /** The informer, once the CRD is established. */
  public Optional<SharedIndexInformer<T>> informer() {
    return Optional.ofNullable(informer);
  }

  public State state() {
    SharedIndexInformer<T> current = informer;
    if (current == null) {
      return State.ABSENT;
    }
    return current.hasSynced() ? State.READY : State.STARTING;
  }

  /** Builds and sets up the informer unless it exists; true when it was built now. */
  synchronized boolean install() {
    if (informer != null) {
      return false;
    }
    SharedIndexInformer<T> built = build.get();
    setup.forEach(step -> step.accept(built));
    informer = built;
    return true;
  }

  /** Tells the listeners that the informer was started. */
  void started() {
    List<Runnable> listeners;
    synchronized (this) {
      listeners = List.copyOf(installed);
    }
    listeners.forEach(Runnable::run);
  }
}

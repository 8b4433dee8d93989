package coffee.acupof.datamover.controller;

import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.runtime.Informers;
import coffee.acupof.datamover.runtime.KindController;
import coffee.acupof.datamover.runtime.LeaderTask;
import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the controllers of every kind while this process holds the one leader Lease. Informers start only on the
 * leader, so a standby keeps no caches. Losing the lease ends the process (through
 * {@link LeadershipLossHandler}) so Kubernetes restarts it with clean state; a normal shutdown
 * stops the controller and gives the lease up at once so a successor need not wait for it to expire.
 *
 * <p>A free Lease (none yet, given up, or expired) is taken at once ({@link FirstLease}) instead of after the
 * elector's first retry period; the elector then renews it. Should the elector not confirm the lease within the
 * renew deadline, that counts as losing it.
 */
@Component
public class OperatorLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(OperatorLifecycle.class);

  private final DataMoverProperties.LeaderElection config;
  private final Informers informers;
  private final List<KindController> controllers;
  private final List<LeaderTask> leaderTasks;
  private final ApiClient apiClient;
  private final OperatorIdentity identity;
  private final LeadershipLossHandler lossHandler;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean controllersStarted = new AtomicBoolean();
  private final AtomicBoolean electorConfirmed = new AtomicBoolean();
  private final AtomicBoolean lossReported = new AtomicBoolean();
  private volatile LeaderElector elector;

  public OperatorLifecycle(
      DataMoverProperties properties,
      Informers informers,
      List<KindController> controllers,
      ObjectProvider<LeaderTask> leaderTasks,
      ApiClient apiClient,
      OperatorIdentity identity,
      LeadershipLossHandler lossHandler,
      Clock clock) {
    this.config = properties.leaderElection();
    this.informers = informers;
    this.controllers = List.copyOf(controllers);
    this.leaderTasks = leaderTasks.orderedStream().toList();
    this.apiClient = apiClient;
    this.identity = identity;
    this.lossHandler = lossHandler;
    this.clock = clock;
  }

  @Override
  public void start() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    quietClientShutdownLogs(false);
    if (!config.enabled()) {
      log.warn("Leader election is disabled: never run two replicas like this");
      startLeading();
      return;
    }
    String namespace = config.namespace().isBlank() ? identity.namespace() : config.namespace();
    LeaseLock lock = new LeaseLock(namespace, config.leaseName(), identity.name(), apiClient);
    elector =
        new LeaderElector(
            new LeaderElectionConfig(lock, config.leaseDuration(), config.renewDeadline(), config.retryPeriod()));
    Thread thread = new Thread(() -> elect(lock), "leader-election");
    thread.setDaemon(true);
    thread.start();
    log.info("Waiting for the lease {}/{} as {}", namespace, config.leaseName(), identity.name());
  }

  private void elect(LeaseLock lock) {
    if (takeFreeLease(lock)) {
      log.info("Took the free lease {} at once", lock.describe());
      startLeading();
      Thread.ofPlatform().daemon().name("leader-election-confirm").start(this::awaitElectorConfirmation);
    }
    elector.run(
        () -> {
          electorConfirmed.set(true);
          startLeading();
        },
        this::stoppedLeading);
  }

  private boolean takeFreeLease(LeaseLock lock) {
    try {
      return FirstLease.tryTake(lock, config.leaseDuration(), clock);
    } catch (RuntimeException e) {
      log.warn("Could not check whether the lease {} is free ({}); waiting for it as usual", lock.describe(), e.toString());
      return false;
    }
  }

  /** After a free lease was taken: the elector must confirm (renew) it within the renew deadline, as for any renewal. */
  private void awaitElectorConfirmation() {
    Duration deadline = config.renewDeadline();
    try {
      Thread.sleep(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!electorConfirmed.get() && !stopping.get()) {
      log.error("The lease taken at start was not renewed within {}", deadline);
      stoppedLeading();
    }
  }

  private void startLeading() {
    if (!controllersStarted.compareAndSet(false, true)) {
      return;
    }
    log.info("Leading as {}: starting informers and the controllers of {}", identity.name(),
        controllers.stream().map(KindController::name).toList());
    informers.startAll();
    for (KindController controller : controllers) {
      Thread thread = new Thread(controller::run, controller.name() + "-controller");
      thread.setDaemon(true);
      thread.start();
    }
    for (LeaderTask task : leaderTasks) {
      try {
        task.onLeading();
      } catch (RuntimeException e) {
        log.warn("A start-up task failed; the controllers run anyway: {}", e.getMessage());
      }
    }
    leading.set(true);
  }

  private void stoppedLeading() {
    boolean wasLeading = leading.getAndSet(false);
    if (stopping.get() || !lossReported.compareAndSet(false, true)) {
      return;
    }
    log.error("Lost the leader lease{}; exiting so that Kubernetes restarts this process", wasLeading ? "" : " before leading");
    lossHandler.leadershipLost();
  }

  /** Whether this process currently holds the lease and runs the controller. */
  public boolean isLeading() {
    return leading.get();
  }

  @Override
  public void stop() {
    if (!running.get()) {
      return;
    }
    stopping.set(true);
    leading.set(false);
    quietClientShutdownLogs(true);
    controllers.forEach(KindController::shutdown);
    informers.stopAll();
    if (elector != null) {
      elector.close();
    }
    running.set(false);
    log.info("Operator stopped");
  }

  /**
   * The client logs every interrupted informer and lease worker as an ERROR when it is stopped; a
   * normal shutdown should not page anyone, so those loggers are silenced for the shutdown only.
   */
  private static void quietClientShutdownLogs(boolean quiet) {
    LoggingSystem logging = LoggingSystem.get(OperatorLifecycle.class.getClassLoader());
    for (String logger : new String[] {"io.kubernetes.client.informer", "io.kubernetes.client.extended.leaderelection"}) {
      logging.setLogLevel(logger, quiet ? LogLevel.OFF : null);
    }
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }
}

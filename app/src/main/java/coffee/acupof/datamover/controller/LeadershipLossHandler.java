package coffee.acupof.datamover.controller;

/** What to do when the leader lease is lost: by default, end the process (see DataMoverApplication). */
@FunctionalInterface
public interface LeadershipLossHandler {
  void leadershipLost();
}

package coffee.acupof.datamover.runtime;

/** Work done once each time this process becomes the leader, after the informers and controllers started. */
@FunctionalInterface
public interface LeaderTask {
  void onLeading();
}

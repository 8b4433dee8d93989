package coffee.acupof.datamover.mover;

import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverSpec;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.config.DataMoverProperties;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the mover Job of a DataMover (a backup): the clone at {@code /data}, the contract's
 * variables, then the user's {@code additionalEnv} (which may override them). See {@link MoverJobs}
 * for everything mover Jobs share. A pure function.
 */
public final class MoverJobBuilder {
  public static final String COMPONENT = "mover";

  private MoverJobBuilder() {}

  public static V1Job build(DataMover owner, DataMoverProperties.Mover defaults) {
    DataMoverSpec spec = owner.getSpec();
    return MoverJobs.build(
        MoverJobRequest.onClaim(
            DataMoverApi.DATAMOVERS,
            owner,
            ChildNames.moverJob(owner.name()),
            COMPONENT,
            ChildNames.clonePvc(owner.name()),
            MoverRemote.of(spec),
            env(owner, spec),
            spec.image()),
        defaults);
  }

  static List<V1EnvVar> env(DataMover owner, DataMoverSpec spec) {
    List<V1EnvVar> env = new ArrayList<>();
    env.add(new V1EnvVar().name(MoverContract.ENV_OPERATION).value(MoverContract.OPERATION_BACKUP));
    env.add(new V1EnvVar().name(MoverContract.ENV_DATA_DIR).value(MoverContract.DATA_DIR));
    env.add(new V1EnvVar().name(MoverContract.ENV_ADD_TIMESTAMP_PREFIX).value(Boolean.toString(spec.timestampPrefix())));
    env.add(new V1EnvVar().name(MoverContract.ENV_TIMESTAMP).value(pointInTime(owner)));
    env.add(new V1EnvVar().name(MoverContract.ENV_SOURCE).value(owner.namespace() + "/" + spec.sourcePvc()));
    env.add(new V1EnvVar().name(MoverContract.ENV_RUN_ID).value(owner.getMetadata().getUid()));
    if (spec.path() != null && !spec.path().isBlank()) {
      env.add(new V1EnvVar().name(MoverContract.ENV_PATH).value(spec.path()));
    }
    env.addAll(spec.additionalEnvOrEmpty());
    return env;
  }

  /**
   * The point in time the run writes: the one allocated at validation and recorded in its status
   * (so every attempt and every operator restart writes the same folder), or, for a run validated
   * before points were recorded, its creation second.
   */
  static String pointInTime(DataMover owner) {
    String recorded = owner.getStatus().pointInTime();
    return recorded != null ? recorded : MoverContract.pointInTime(owner.getMetadata().getCreationTimestamp());
  }
}

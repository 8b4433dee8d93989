package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverApi;
import coffee.acupof.datamover.api.DataMoverRestore;
import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.cluster.ChildNames;
import coffee.acupof.datamover.config.DataMoverProperties;
import coffee.acupof.datamover.mover.MoverContract;
import coffee.acupof.datamover.mover.MoverJobRequest;
import coffee.acupof.datamover.mover.MoverJobs;
import coffee.acupof.datamover.mover.MoverRemote;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a restore's mover Job: the mover's {@code restore} on the claim to fill, reading the backups
 * of its {@link RestoreOrigin} at the restore's point in time. A pure function.
 */
public final class RestoreJobBuilder {
  public static final String COMPONENT = "restore";

  private RestoreJobBuilder() {}

  public static V1Job build(DataMoverRestore restore, RestoreOrigin origin, String claim, DataMoverProperties.Mover defaults) {
    DataMoverRestoreSpec spec = restore.getSpec();
    return MoverJobs.build(
        MoverJobRequest.onClaim(
            DataMoverApi.RESTORES, restore, ChildNames.restoreJob(restore.name()), COMPONENT, claim, MoverRemote.of(origin.remote()), env(restore, origin), spec.image()),
        defaults);
  }

  /**
   * The contract's variables for the origin's backups, then the extra environment they were written
   * with (a schedule's), then the restore's own.
   */
  static List<V1EnvVar> env(DataMoverRestore restore, RestoreOrigin origin) {
    DataMoverRestoreSpec spec = restore.getSpec();
    List<V1EnvVar> env = new ArrayList<>();
    env.add(var(MoverContract.ENV_OPERATION, MoverContract.OPERATION_RESTORE));
    env.add(var(MoverContract.ENV_DATA_DIR, MoverContract.DATA_DIR));
    env.add(var(MoverContract.ENV_RESTORE_POINT, spec.pointInTimeOrLatest()));
    env.add(var(MoverContract.ENV_SOURCE, restore.namespace() + "/" + origin.sourcePvc()));
    env.add(var(MoverContract.ENV_RUN_ID, restore.getMetadata().getUid()));
    if (origin.path() != null && !origin.path().isBlank()) {
      env.add(var(MoverContract.ENV_PATH, origin.path()));
    }
    if (Boolean.TRUE.equals(spec.overwrite())) {
      env.add(var(MoverContract.ENV_ALLOW_NONEMPTY_TARGET, "true"));
    }
    if (Boolean.TRUE.equals(spec.allowUnverifiedBackup())) {
      env.add(var(MoverContract.ENV_ALLOW_UNVERIFIED, "true"));
    }
    env.addAll(origin.additionalEnv());
    env.addAll(spec.additionalEnvOrEmpty());
    return env;
  }

  private static V1EnvVar var(String name, String value) {
    return new V1EnvVar().name(name).value(value);
  }
}

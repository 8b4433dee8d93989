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
 * of {@code <namespace>/<sourcePvc>} at the restore's path and point in time. A pure function.
 */
public final class RestoreJobBuilder {
  public static final String COMPONENT = "restore";

  private RestoreJobBuilder() {}

  public static V1Job build(DataMoverRestore restore, String claim, DataMoverProperties.Mover defaults) {
    DataMoverRestoreSpec spec = restore.getSpec();
    return MoverJobs.build(
        MoverJobRequest.onClaim(
            DataMoverApi.RESTORES, restore, ChildNames.restoreJob(restore.name()), COMPONENT, claim, MoverRemote.of(spec), env(restore), spec.image()),
        defaults);
  }

  static List<V1EnvVar> env(DataMoverRestore restore) {
    DataMoverRestoreSpec spec = restore.getSpec();
    List<V1EnvVar> env = new ArrayList<>();
    env.add(var(MoverContract.ENV_OPERATION, MoverContract.OPERATION_RESTORE));
    env.add(var(MoverContract.ENV_DATA_DIR, MoverContract.DATA_DIR));
    env.add(var(MoverContract.ENV_RESTORE_POINT, spec.pointInTimeOrLatest()));
    env.add(var(MoverContract.ENV_SOURCE, restore.namespace() + "/" + spec.sourcePvc()));
    env.add(var(MoverContract.ENV_RUN_ID, restore.getMetadata().getUid()));
    if (spec.path() != null && !spec.path().isBlank()) {
      env.add(var(MoverContract.ENV_PATH, spec.path()));
    }
    if (Boolean.TRUE.equals(spec.overwrite())) {
      env.add(var(MoverContract.ENV_ALLOW_NONEMPTY_TARGET, "true"));
    }
    if (Boolean.TRUE.equals(spec.allowUnverifiedBackup())) {
      env.add(var(MoverContract.ENV_ALLOW_UNVERIFIED, "true"));
    }
    env.addAll(spec.additionalEnvOrEmpty());
    return env;
  }

  private static V1EnvVar var(String name, String value) {
    return new V1EnvVar().name(name).value(value);
  }
}

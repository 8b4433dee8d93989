package coffee.acupof.datamover.restore;

import coffee.acupof.datamover.api.DataMoverRestoreSpec;
import coffee.acupof.datamover.api.DataMoverSchedule;
import coffee.acupof.datamover.api.DataMoverScheduleSpec;
import coffee.acupof.datamover.api.RemoteSpec;
import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a restore reads: whose backups ({@code sourcePvc}), through which remote (a Secret, or an
 * rclone.conf and a CA), at which path, with
 * which extra environment the backups were written with (an encrypted remote needs the same
 * {@code ENCRYPTED_*} values). Given in the restore's own spec, or taken from the schedule it names.
 *
 * @param schedule the schedule the origin comes from, or null
 */
public record RestoreOrigin(String schedule, String sourcePvc, RemoteSpec remote, String path, List<V1EnvVar> additionalEnv) {

  public RestoreOrigin {
    additionalEnv = List.copyOf(additionalEnv);
  }

  /** The origin a restore names itself. */
  public static RestoreOrigin of(DataMoverRestoreSpec spec) {
    return new RestoreOrigin(null, spec.sourcePvc(), spec, spec.path(), List.of());
  }

  /**
   * The origin of a schedule's backups: its source, remote and path (the one its runs write to), and
   * its {@code additionalEnv}, before the restore's own.
   */
  public static RestoreOrigin of(DataMoverSchedule schedule) {
    DataMoverScheduleSpec spec = schedule.getSpec();
    List<V1EnvVar> env = new ArrayList<>(spec.additionalEnv() == null ? List.of() : spec.additionalEnv());
    return new RestoreOrigin(schedule.name(), spec.sourcePvc(), spec, spec.runPath(schedule.namespace()), env);
  }

  /** What a message says about it. */
  public String describe(String namespace) {
    String where = path == null || path.isBlank() ? "" : " at path " + path;
    return "backups of " + namespace + "/" + sourcePvc + where + (schedule == null ? "" : " (schedule " + schedule + ")");
  }
}

package coffee.acupof.datamover.bench;

import coffee.acupof.datamover.bench.cluster.ControlPlaneResult;
import coffee.acupof.datamover.bench.cluster.FootprintRecord;
import coffee.acupof.datamover.bench.data.DataRecord;
import coffee.acupof.datamover.bench.data.MoverStart;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run produced: the machine-readable results file ({@code results.json}) is this record.
 *
 * @param schema version of this layout
 * @param generatedAt when the run ended (UTC)
 * @param mode {@code quick} or {@code full}
 * @param arguments the command-line arguments of the run
 * @param environment the machine and versions
 * @param method how it was measured
 * @param dataPath one record per server, tree, scenario and contender (empty when the part did not run)
 * @param moverStart the mover's start-up cost (null when the data part did not run)
 * @param controlPlane the control-plane figures (null when the cluster part did not run)
 * @param footprint the operator's footprint per JVM variant and object count
 * @param targets issue 12's targets, met or not
 */
public record Results(
    int schema,
    String generatedAt,
    String mode,
    List<String> arguments,
    Environment environment,
    Method method,
    List<DataRecord> dataPath,
    MoverStart moverStart,
    ControlPlaneResult controlPlane,
    List<FootprintRecord> footprint,
    List<Target> targets) {

  /**
   * How the figures were obtained.
   *
   * @param warmups uncounted rounds before the counted ones
   * @param runs counted rounds
   * @param order how contenders and variants were ordered
   * @param pageCache how page caches were equalised
   * @param loopbackIsolated whether the loopback counter saw only this benchmark's traffic
   * @param scales per S3 server, the trees' sizes as a fraction of issue 12's (1 = full size; NaN in quick runs,
   *     whose trees are fixed and tiny)
   * @param trees the data-path trees, per server
   * @param contenders the data-path contenders
   * @param servers the S3 servers
   * @param controlPlane how the control plane was driven
   * @param footprint how the footprint was measured
   */
  public record Method(
      int warmups,
      int runs,
      String order,
      String pageCache,
      boolean loopbackIsolated,
      Map<String, Double> scales,
      List<String> trees,
      List<String> contenders,
      List<String> servers,
      String controlPlane,
      String footprint) {}

  /** Writes this as pretty-printed JSON (NaN as null). */
  public void writeJson(Path file) {
    JsonSerializer<Double> finiteOrNull = (value, type, context) ->
        value.isNaN() || value.isInfinite() ? null : new JsonPrimitive(value);
    String json = new GsonBuilder()
        .setPrettyPrinting()
        .serializeNulls()
        .registerTypeAdapter(Double.class, finiteOrNull)
        .registerTypeAdapter(double.class, finiteOrNull)
        .create()
        .toJson(this);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, json + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

package coffee.acupof.datamover.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of running the operator's JVM that the footprint benchmark compares: the garbage collector, whether
 * the JIT stops at C1, whether the jar runs extracted with an AOT cache (Java 25's {@code -XX:AOTCache}), and
 * extra flags.
 *
 * @param name short name for the results
 * @param gcFlag {@code -XX:+UseSerialGC} or {@code -XX:+UseG1GC}
 * @param c1Only {@code -XX:TieredStopAtLevel=1}
 * @param aotCache run the extracted jar with an AOT cache from a training run (as {@code app/Dockerfile} builds)
 * @param extraFlags further flags
 * @param environment variables for the process, e.g. glibc's {@code MALLOC_ARENA_MAX}
 */
public record JvmVariant(String name, String gcFlag, boolean c1Only, boolean aotCache, List<String> extraFlags,
    Map<String, String> environment) {

  /**
   * What every variant runs with: the Deployment's memory settings ({@code MaxRAMPercentage=75} of its 512 MiB
   * limit, exit on OutOfMemoryError), the limit given as {@code MaxRAM} because the benchmark runs outside a
   * container.
   */
  public static final List<String> POD_MEMORY = List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75",
      "-XX:+ExitOnOutOfMemoryError");

  /** The variant {@code app/Dockerfile} and the Deployment ship (ShippedJvmTest keeps them in step). */
  public static final String SHIPPED = "serial-c1-aot-tight";

  private static final String SERIAL = "-XX:+UseSerialGC";
  private static final String G1 = "-XX:+UseG1GC";

  public JvmVariant {
    extraFlags = List.copyOf(extraFlags);
    environment = Map.copyOf(environment);
  }

  /** Every variant of the full benchmark, the old default (G1, the jar as built) first. */
  public static List<JvmVariant> all() {
    return List.of(
        new JvmVariant("g1", G1, false, false, List.of(), Map.of()),
        new JvmVariant("serial", SERIAL, false, false, List.of(), Map.of()),
        new JvmVariant("serial-c1", SERIAL, true, false, List.of(), Map.of()),
        new JvmVariant("g1-aot", G1, false, true, List.of(), Map.of()),
        new JvmVariant("serial-aot", SERIAL, false, true, List.of(), Map.of()),
        new JvmVariant("serial-c1-aot", SERIAL, true, true, List.of(), Map.of()),
        new JvmVariant("serial-c1-aot-coh", SERIAL, true, true, List.of("-XX:+UseCompactObjectHeaders"), Map.of()),
        // glibc gives each thread that allocates its own malloc arena (up to 8 per core); two are plenty here.
        new JvmVariant("serial-c1-aot-arena2", SERIAL, true, true, List.of(), Map.of("MALLOC_ARENA_MAX", "2")),
        // Serial keeps up to 70 % of its heap free after a full collection by default (and grows it to 40 % free),
        // and shrinks in steps (nothing on the first collection, 10 % on the second, ...); with these flags the
        // collections the operator makes after filling its caches and after busy periods give that heap back.
        new JvmVariant("serial-c1-aot-tight", SERIAL, true, true, List.of("-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20", "-XX:-ShrinkHeapInSteps"), Map.of()));
  }

  /** The variant named {@code name}. */
  public static JvmVariant named(String name) {
    return all().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown JVM variant '" + name + "'; known: "
            + all().stream().map(JvmVariant::name).toList()));
  }

  /** True for the variant the image ships. */
  public boolean shipped() {
    return name.equals(SHIPPED);
  }

  /**
   * The flags that choose the runtime behaviour (collector, JIT, extras) — without the memory settings and
   * without the AOT cache's file, which the image and the benchmark put in different places.
   */
  public List<String> runtimeFlags() {
    List<String> flags = new ArrayList<>(List.of(gcFlag));
    if (c1Only) {
      flags.add("-XX:TieredStopAtLevel=1");
    }
    flags.addAll(extraFlags);
    return flags;
  }

  /** Every flag of a run: the memory settings and the runtime flags. */
  public List<String> flags() {
    List<String> flags = new ArrayList<>(POD_MEMORY);
    flags.addAll(runtimeFlags());
    return flags;
  }
}

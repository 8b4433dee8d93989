package coffee.acupof.datamover.bench.cluster;

/**
 * The operator process at one moment: resident memory, CPU over a window, and the JVM's own figures.
 *
 * @param rssMiB resident set size
 * @param cpuPercent CPU over the window, percent of one core
 * @param heapUsedMiB heap in use (Actuator)
 * @param nonHeapUsedMiB metaspace, code cache and other non-heap pools in use (Actuator)
 * @param liveThreads live threads (Actuator)
 */
public record OperatorFigures(double rssMiB, double cpuPercent, double heapUsedMiB, double nonHeapUsedMiB, double liveThreads) {
  static final double MIB = 1024.0 * 1024.0;

  /** Waits out {@code window} measuring CPU, then reads memory. */
  static OperatorFigures measure(OperatorUnderTest operator, java.time.Duration window) {
    double cpu = operator.cpuPercent(window);
    OperatorUnderTest.JvmFigures jvm = operator.jvm();
    return new OperatorFigures(operator.rssBytes() / MIB, cpu, jvm.heapUsedBytes() / MIB, jvm.nonHeapUsedBytes() / MIB,
        jvm.liveThreads());
  }
}

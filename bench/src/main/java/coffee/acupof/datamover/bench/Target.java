package coffee.acupof.datamover.bench;

/**
 * One target of issue 12 and where this run stands.
 *
 * @param target what was asked
 * @param figure the measured figure it is judged by
 * @param met true or false; null when this run did not measure it (part not run) or cannot judge it (quick run)
 * @param note why it is not judged, or what the figure is made of
 */
public record Target(String target, String figure, Boolean met, String note) {}

package coffee.acupof.datamover.bench.data;

import coffee.acupof.datamover.bench.Summary;

/**
 * The mover's own start-up cost, from a fixed-path backup of a one-file volume.
 *
 * @param mover how it was launched
 * @param startSeconds from launch until the mover started its first rclone process
 * @param peakRssBytes the highest resident memory of the mover process itself (its rclone children excluded)
 * @param wallSeconds the whole run
 */
public record MoverStart(String mover, Summary startSeconds, Summary peakRssBytes, Summary wallSeconds) {}

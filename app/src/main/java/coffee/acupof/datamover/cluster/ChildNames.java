package coffee.acupof.datamover.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names of the objects a run creates. The same run always yields the same
 * names, so a crash between "create" and "write status" finds the existing child instead of making a
 * second one. Names longer than 63 characters are shortened with a hash of the full name.
 */
public final class ChildNames {
  static final int MAX_LENGTH = 63;
  private static final int HASH_LENGTH = 10;

  private ChildNames() {}

  /** Name of the point-in-time clone of the source PVC. */
  public static String clonePvc(String dataMoverName) {
    return derive(dataMoverName, "clone");
  }

  /** Name of the mover Job. */
  public static String moverJob(String dataMoverName) {
    return derive(dataMoverName, "mover");
  }

  /** Name of a restore's mover Job. */
  public static String restoreJob(String restoreName) {
    return derive(restoreName, "restore");
  }

  /** Name of the PVC a restore used as a volume populator fills before it hands the volume over. */
  public static String primePvc(String restoreName) {
    return derive(restoreName, "prime");
  }

  /**
   * Name of a schedule's retention Job after the point in time {@code point} ({@code YYYY-MM-DD-HHMMSS}),
   * for its {@code attempt}-th try: one name per point and attempt, so a retry never waits for the
   * deletion of the failed Job.
   */
  public static String pruneJob(String scheduleName, String point, int attempt) {
    return derive(scheduleName, "prune-" + point.replace("-", "") + (attempt > 1 ? "-" + attempt : ""));
  }

  static String derive(String owner, String suffix) {
    String full = owner + "-" + suffix;
    if (full.length() <= MAX_LENGTH) {
      return full;
    }
    String hash = sha256Hex(full).substring(0, HASH_LENGTH);
    int keep = MAX_LENGTH - suffix.length() - HASH_LENGTH - 2;
    String head = owner.substring(0, keep).replaceAll("[-.]+$", "");
    return head + "-" + hash + "-" + suffix;
  }

  private static String sha256Hex(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

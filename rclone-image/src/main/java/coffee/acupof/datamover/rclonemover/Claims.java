package coffee.acupof.datamover.rclonemover;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who may write a point in time folder (issue 7). A run claims a folder with one object per run,
 * {@code <point>/.datamover/claims/<run-id>.json}, before it writes anything else, and lists the claims after
 * writing its own (S3 has no atomic create-if-absent, but it reads its own writes, so of two runs the later one
 * always sees the earlier one's claim). Claims are ordered by the server's modification time, then by run id:
 * every run computes the same order, and only the first may write its marker.
 *
 * <p>These are the pure decisions; {@link BackupOperation} does the listing and writing.
 */
public final class Claims {

  private Claims() {}

  /**
   * One claim object.
   *
   * @param runKey the run id as the object is named ({@link Settings#safeId})
   * @param time the server's modification time of the object
   * @param source the claiming source, when the claim was read
   */
  public record Claim(String runKey, Instant time, Optional<String> source) {}

  /** The outcome of a check: go on, or stop with a refusal whose message says what happened and what to do. */
  public sealed interface Decision {
    /** Go on. */
    record Proceed() implements Decision {}

    /** Stop with exit 4 and this message. */
    record Refuse(String message) implements Decision {}
  }

  /** What a run finds after its copy. */
  public enum AfterCopy {
    /** Only this run claimed the folder (or it claimed first and nobody else did): write the marker. */
    ALONE,
    /** Another run claimed first: fail without deleting anything and write no marker. */
    LATER,
    /** Later runs claimed it too: they will fail, but may have written; re-check the files before the marker. */
    FIRST_WITH_OTHERS
  }

  static final Comparator<Claim> ORDER = Comparator.comparing(Claim::time).thenComparing(Claim::runKey);

  /**
   * Before claiming: a folder claimed by another run, or holding data that no claim of this run covers (data of
   * another source, another tool or an older mover), is refused. A retry whose own claim came first goes on.
   *
   * @param dataPresent whether the folder holds anything besides {@code .datamover/claims}
   * @param markerRunKey the run that wrote the folder's marker, when it has one ({@code Optional.empty()} for a
   *     marker without run id, i.e. an older mover's)
   */
  public static Decision beforeClaim(String folder, boolean dataPresent, boolean hasMarker,
      Optional<String> markerRunKey, Optional<String> markerSource, List<Claim> claims, String myKey) {
    Optional<Claim> own = claims.stream().filter(c -> c.runKey().equals(myKey)).findFirst();
    // Another run's claim blocks, unless this run (a retry) claimed first: later claimants fail by themselves.
    Optional<Claim> other = claims.stream().filter(c -> !c.runKey().equals(myKey))
        .filter(c -> own.isEmpty() || ORDER.compare(c, own.get()) < 0).min(ORDER);
    if (other.isPresent()) {
      return new Decision.Refuse(folder + " is already claimed by another run (" + describe(other.get())
          + "), probably a backup of another volume started in the same second; nothing was written. Give each"
          + " source its own path (spec.path / MOVER_PATH), or rerun later with another MOVER_TIMESTAMP");
    }
    boolean mine = own.isPresent()
        || (hasMarker && markerRunKey.filter(myKey::equals).isPresent());
    if ((dataPresent || hasMarker) && !mine) {
      String whose = hasMarker
          ? "the complete backup of source '" + markerSource.orElse("?") + "'"
              + markerRunKey.map(r -> " (run " + r + ")").orElse(" (written without a run id)")
          : "data that no run of this source claimed (another tool's, or an interrupted older backup)";
      return new Decision.Refuse(folder + " already holds " + whose + "; nothing was written or deleted. Give each"
          + " source its own path (spec.path / MOVER_PATH), or use another MOVER_TIMESTAMP");
    }
    return new Decision.Proceed();
  }

  /** After writing this run's claim: another claim that comes first means this run must not write. */
  public static Decision afterClaim(String folder, List<Claim> claims, String myKey) {
    Optional<Claim> first = claims.stream().min(ORDER);
    if (first.isEmpty() || claims.stream().noneMatch(c -> c.runKey().equals(myKey))) {
      return new Decision.Refuse(folder + ": this run's claim is not listed after it was written; the remote does not"
          + " read its own writes, so the folder cannot be claimed safely");
    }
    if (!first.get().runKey().equals(myKey)) {
      return new Decision.Refuse(folder + " was claimed at the same moment by another run (" + describe(first.get())
          + "), which came first; this run wrote nothing but its claim. Give each source its own path"
          + " (spec.path / MOVER_PATH)");
    }
    return new Decision.Proceed();
  }

  /** After the copy, before the marker. */
  public static AfterCopy afterCopy(List<Claim> claims, String myKey) {
    Optional<Claim> first = claims.stream().min(ORDER);
    if (first.isPresent() && !first.get().runKey().equals(myKey)) {
      return AfterCopy.LATER;
    }
    return claims.stream().anyMatch(c -> !c.runKey().equals(myKey)) ? AfterCopy.FIRST_WITH_OTHERS : AfterCopy.ALONE;
  }

  /** The source named in the claim object {@code spec}, if it can be read. */
  public static Optional<String> readSource(Remote remote, String spec) {
    try {
      java.nio.file.Path file = remote.cat(spec, Optional.empty());
      com.google.gson.JsonObject claim = com.google.gson.JsonParser.parseString(
          java.nio.file.Files.readString(file)).getAsJsonObject();
      return Optional.ofNullable(claim.get("source")).map(com.google.gson.JsonElement::getAsString);
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static String describe(Claim claim) {
    return claim.source().map(s -> "source '" + s + "', ").orElse("") + "run " + claim.runKey();
  }
}

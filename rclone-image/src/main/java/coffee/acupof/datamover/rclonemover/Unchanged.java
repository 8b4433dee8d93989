package coffee.acupof.datamover.rclonemover;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which files of the volume a backup need not read or check again: those that an earlier marker of the same source
 * (the previous backup at a fixed path, the newest complete point for a timestamped one) recorded with the same
 * size and {@link Manifest.Stamp} as the volume has now, and whose object at that marker's place is still there with
 * the marker's size and MD5, as one listing of that place shows. Nothing else is trusted: a file without a stamp (a
 * marker from before contract 1.1, a file system without inode times), an object rewritten or removed since, or a
 * remote that keeps no MD5 (crypt) puts the file with the others, which rclone compares as before.
 */
final class Unchanged {

  private Unchanged() {}

  /**
   * The volume's files split in three.
   *
   * @param unchanged path → the file's marker JSON with the MD5 the remote keeps for it: nothing to copy
   * @param changed path → the file's marker JSON, for files known to differ: no object at the marker's place, or
   *     the marker recorded the file and either the file or the object changed since
   * @param unknown path → the file's marker JSON, for files the marker cannot tell about (not in it, or without a
   *     stamp or MD5) that have an object there: rclone compares them
   */
  record Split(SortedFile unchanged, SortedFile changed, SortedFile unknown) {

    /** Nothing is known: every file is compared by rclone. */
    static Split none(Path work, SortedFile current) {
      return new Split(SortedFile.empty(work), SortedFile.empty(work), current);
    }
  }

  /**
   * @param current the volume's files: path → marker JSON with the stamp read now
   * @param marker the earlier marker's files: path → its JSON (stamp and MD5 as recorded)
   * @param stored the objects at the earlier marker's place: path → {@link Listing.Stored#value()}
   */
  static Split split(Path work, SortedFile current, SortedFile marker, SortedFile stored) {
    SortedFile.Builder asRecorded = SortedFile.builder(work);
    SortedFile.Builder changed = SortedFile.builder(work);
    SortedFile.Builder unknown = SortedFile.builder(work);
    current.leftJoin(marker, (now, before) -> {
      Manifest.File file = Manifest.File.parse(now.value());
      Optional<Manifest.File> recorded = before.map(e -> Manifest.File.parse(e.value()));
      if (recorded.isEmpty() || file.stamp().isEmpty() || recorded.get().stamp().isEmpty()
          || recorded.get().md5().isEmpty()) {
        unknown.add(now.key(), now.value());
      } else if (file.stamp().equals(recorded.get().stamp()) && file.size() == recorded.get().size()) {
        asRecorded.add(now.key(), file.withMd5(recorded.get().md5()).json());
      } else {
        changed.add(now.key(), now.value());
      }
    });
    SortedFile.Builder unchanged = SortedFile.builder(work);
    asRecorded.build().leftJoin(stored, (entry, object) -> {
      Manifest.File file = Manifest.File.parse(entry.value());
      Optional<Listing.Stored> there = object.map(e -> Listing.Stored.parse(e.value()));
      if (there.isPresent() && there.get().size() == file.size() && there.get().md5().equals(file.md5())) {
        unchanged.add(entry.key(), entry.value());
      } else {
        changed.add(entry.key(), file.withMd5(Optional.empty()).json());
      }
    });
    SortedFile.Builder compare = SortedFile.builder(work);
    unknown.build().leftJoin(stored, (file, object) -> (object.isPresent() ? compare : changed)
        .add(file.key(), file.value()));
    return new Split(unchanged.build(), changed.build(), compare.build());
  }
}

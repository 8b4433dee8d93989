package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code verify} (contract 1.1): checks a complete backup against its marker with one listing — every file present
 * with its size, and its MD5 where both the marker and the backend keep one — and downloads
 * {@code MOVER_VERIFY_DOWNLOAD_PERCENT} of the files (at least one when set) to compare their content hash.
 */
public final class VerifyOperation {

  private VerifyOperation() {}

  public static String run(Context ctx) {
    ctx.report().destination(ctx.config().display(""));
    ctx.remote().preflight();
    RestorePoint point = RestorePoint.select(ctx, false);
    ctx.report().destination(ctx.config().display(point.sub())).pointInTime(point.pointInTime());
    return verify(ctx, point);
  }

  /** Verifies {@code point}; returns a summary, or fails the run (exit 3) naming the first bad file. */
  public static String verify(Context ctx, RestorePoint point) {
    String from = ctx.config().display(point.sub());
    Remote remote = ctx.remote();
    SortedFile.Builder files = SortedFile.builder(ctx.work());
    Manifest.read(point.markerFile(ctx),
        f -> files.add(f.path(), f.json()), d -> { }, from);
    SortedFile wanted = files.build();
    SortedFile.Builder stored = SortedFile.builder(ctx.work());
    remote.lsjson(ctx.config().at(point.sub()), "-R", "--files-only", "--no-modtime", "--hash", "--hash-type", "MD5",
        "--exclude", "/" + Catalog.META + "/**").ifPresent(l -> Listing.read(l,
            e -> stored.add(e.path(), Listing.Stored.of(e).value())));
    SortedFile have = stored.build();

    long[] missing = {0};
    long[] mismatched = {0};
    String[] first = {null};
    Map<String, String> expectedHash = new HashMap<>();
    List<String> sample = new java.util.ArrayList<>();
    int percent = ctx.settings().verifyDownloadPercent();
    long[] index = {0};
    wanted.leftJoin(have, (entry, listed) -> {
      Manifest.File f = Manifest.File.parse(entry.value());
      index[0]++;
      if (listed.isEmpty()) {
        missing[0]++;
        first[0] = first[0] == null ? "'" + f.path() + "' is missing" : first[0];
        return;
      }
      Listing.Stored object = Listing.Stored.parse(listed.get().value());
      boolean sizeDiffers = object.size() != f.size();
      boolean hashDiffers = f.md5().isPresent() && object.md5().isPresent() && !f.md5().equals(object.md5());
      if (sizeDiffers || hashDiffers) {
        mismatched[0]++;
        first[0] = first[0] == null ? "'" + f.path() + "' has " + (sizeDiffers ? "another size" : "another hash")
            : first[0];
      } else if (percent > 0 && (index[0] - 1) * percent % 100 < percent) {
        sample.add(f.path());
        f.md5().or(object::md5).ifPresent(h -> expectedHash.put(f.path(), h));
      }
    });
    long downloaded = sample.isEmpty() ? 0 : download(ctx, point, sample, expectedHash, mismatched, first);
    ctx.report().put("verified", wanted.size()).put("missing", missing[0]).put("mismatched", mismatched[0])
        .put("downloaded", downloaded);
    if (missing[0] + mismatched[0] > 0) {
      ctx.report().errors(ctx.report().errors() + missing[0] + mismatched[0]);
      throw MoverFailure.transfer("verification of " + from + " failed: " + missing[0] + " file(s) missing, "
          + mismatched[0] + " file(s) differ from the marker (first: " + first[0] + "); the backup was changed or"
          + " damaged after it completed: take a new backup");
    }
    return "verified " + from + ": " + wanted.size() + " file(s) present with the recorded size"
        + (downloaded > 0 ? ", " + downloaded + " downloaded and compared" : "");
  }

  /** Downloads the sample and compares MD5s; returns how many were downloaded. */
  private static long download(Context ctx, RestorePoint point, List<String> sample, Map<String, String> expected,
      long[] mismatched, String[] first) {
    SortedFile.Builder names = SortedFile.builder(ctx.work());
    sample.forEach(names::add);
    Path list = Volume.filesFrom(ctx.remote(), names.build());
    Path out = ctx.remote().temp("hashsum.txt");
    Rclone.Outcome outcome = ctx.remote().run(Rclone.Call.of("hashsum", "MD5", "--download", "--files-from0",
        list.toString(), ctx.config().at(point.sub())).to(out));
    if (!outcome.ok()) {
      mismatched[0]++;
      first[0] = first[0] == null ? "a download failed: " + ctx.remote().explain(outcome) : first[0];
      return sample.size();
    }
    try {
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        int sep = line.indexOf("  ");
        if (sep < 0) {
          continue;
        }
        String hash = line.substring(0, sep);
        String path = line.substring(sep + 2);
        String want = expected.get(path);
        if (want != null && !want.equals(hash)) {
          mismatched[0]++;
          first[0] = first[0] == null ? "'" + path + "' has other content" : first[0];
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sample.size();
  }
}

package coffee.acupof.datamover.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeTest {

  @Test
  void aTreeIsTheSameWhereverItIsGenerated(@TempDir Path one, @TempDir Path two) throws Exception {
    Tree tree = Tree.smallFiles(250, 4096);
    tree.generate(one);
    tree.generate(two);

    assertThat(digest(one)).isEqualTo(digest(two));
    assertThat(Files.getLastModifiedTime(one.resolve(tree.layout().path(7))))
        .isEqualTo(Files.getLastModifiedTime(two.resolve(tree.layout().path(7))));
    tree.verify(one, "generation");
  }

  @Test
  void smallFilesAreNestedAHundredToADirectory() {
    Tree tree = Tree.smallFiles(100_000, 4096);

    assertThat(tree.layout().path(0)).isEqualTo("d000/e00/f000000.bin");
    assertThat(tree.layout().path(99_999)).isEqualTo("d099/e09/f099999.bin");
    assertThat(tree.bytes()).isEqualTo(409_600_000L);
  }

  @Test
  void theMixedTreeHasManySmallFilesAFewLargeOnesAndExactlyOneOfTheLargestSize() {
    Tree tree = Tree.mixed(10_000, 64L << 20);
    List<Long> sizes = IntStream.range(0, tree.files()).mapToObj(i -> tree.layout().size(i)).toList();

    assertThat(sizes).hasSize(10_000).allMatch(size -> size >= 1024 && size <= 64L << 20);
    assertThat(sizes.stream().filter(size -> size == 64L << 20)).hasSize(1);
    assertThat(sizes.stream().filter(size -> size <= 4096).count()).isGreaterThan(5_000);
    assertThat(tree.bytes()).isBetween(200L << 20, 600L << 20);
  }

  @Test
  void eachRoundChangesAHundredthOfTheFilesAndRevertingRestoresTheTree(@TempDir Path dir) throws Exception {
    Tree tree = Tree.smallFiles(300, 1024);
    tree.generate(dir);
    String original = digest(dir);

    tree.change(dir, 0);
    tree.change(dir, 1);

    assertThat(tree.changedBy(0)).containsExactly(0, 100, 200);
    assertThat(tree.changedBy(1)).containsExactly(1, 101, 201);
    assertThat(digest(dir)).isNotEqualTo(original);
    tree.verify(dir, "a changed tree");
    tree.revert(dir, 2);
    assertThat(digest(dir)).isEqualTo(original);
  }

  @Test
  void aTreeOfFewerThanAHundredFilesChangesOneFilePerRound() {
    assertThat(Tree.oneLargeFile(1 << 20).changedBy(3)).containsExactly(0);
    assertThat(Tree.smallFiles(40, 10).changedBy(41)).containsExactly(1);
  }

  @Test
  void aRestoreThatLeftAFileOutIsFound(@TempDir Path dir) throws IOException {
    Tree tree = Tree.mixed(30, 64 << 10);
    tree.generate(dir);
    Files.delete(dir.resolve(tree.layout().path(5)));

    assertThatThrownBy(() -> tree.verify(dir, "the restore")).hasMessageContaining("the restore left 29 files");
  }

  private static String digest(Path dir) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        sha.update(dir.relativize(file).toString().getBytes());
        sha.update(Files.readAllBytes(file));
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}

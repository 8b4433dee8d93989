package coffee.acupof.datamover.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterWorkTest {
  @TempDir
  Path work;

  @Test
  void theClustersOfEndedRunsAreRemovedAndEverythingElseIsKept() throws Exception {
    long ended = endedPid();
    Path endedRun = Files.createDirectories(work.resolve("cluster-" + ended + "/cluster/etcd"));
    Files.writeString(endedRun.resolve("db"), "data");
    long running = ProcessHandle.current().parent().orElseThrow().pid();
    Path runningRun = Files.createDirectories(work.resolve("cluster-" + running));
    Path trees = Files.createDirectories(work.resolve("trees/small-files"));
    Path notARun = Files.createDirectories(work.resolve("cluster-notes"));
    List<String> said = new ArrayList<>();

    Path mine = ClusterBench.workDirectory(work, said::add);

    assertThat(mine).isEqualTo(work.resolve("cluster-" + ProcessHandle.current().pid()));
    assertThat(work.resolve("cluster-" + ended)).doesNotExist();
    assertThat(runningRun).isDirectory();
    assertThat(trees).isDirectory();
    assertThat(notARun).isDirectory();
    assertThat(said).singleElement().asString().contains("cluster-" + ended);
  }

  @Test
  void aWorkDirectoryThatDoesNotExistYetIsFine() {
    assertThat(ClusterBench.workDirectory(work.resolve("new"), s -> {}).getParent()).isEqualTo(work.resolve("new"));
  }

  private static long endedPid() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }
}

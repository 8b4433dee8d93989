package coffee.acupof.datamover.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import coffee.acupof.datamover.Fixtures;
import coffee.acupof.datamover.api.DataMover;
import coffee.acupof.datamover.api.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryLimitsTest {
  static DataMover run(String name, int minute, Phase phase) {
    DataMover dm = Fixtures.inPhase(Fixtures.dataMover(name), phase, Fixtures.CREATED);
    dm.getMetadata().annotations(Map.of(ScheduleRuns.ANNOTATION_SCHEDULED_TIME, Fixtures.CREATED.plusMinutes(minute).toString()));
    return dm;
  }

  @Test
  void theNewestOfEachKindAreKeptAndActiveRunsAreNeverTouched() {
    ScheduleRuns runs = ScheduleRuns.of(List.of(
        run("ok-1", 1, Phase.COMPLETED), run("ok-2", 2, Phase.COMPLETED), run("bad-3", 3, Phase.FAILED), run("ok-4", 4, Phase.COMPLETED),
        run("bad-5", 5, Phase.FAILED), run("ok-6", 6, Phase.COMPLETED), run("running-7", 7, Phase.CREATING_POD)));

    assertThat(HistoryLimits.excess(runs, 3, 1)).extracting(DataMover::name).containsExactlyInAnyOrder("ok-1", "bad-3");
    assertThat(HistoryLimits.excess(runs, 0, 0)).extracting(DataMover::name)
        .containsExactlyInAnyOrder("ok-1", "ok-2", "ok-4", "ok-6", "bad-3", "bad-5");
    assertThat(HistoryLimits.excess(runs, 10, 10)).isEmpty();
  }
}

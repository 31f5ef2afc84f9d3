package io.tributary.pipelines.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FailoverTest {
  /** Upstream 100..199 copied to 0..99 one to one. */
  private static OffsetSyncs syncs() {
    return new OffsetSyncs(Map.of(0, new TreeMap<>(Map.of(100L, 0L, 150L, 50L, 199L, 99L))));
  }

  @Test
  void aTableWithAGapSkipsInTheReplicaWhatItHoldsAfterTheGap() {
    Failover failover = new Failover("primary", "weather", "primary.weather", syncs(), false);
    OffsetRanges primary = OffsetRanges.empty().add(0, 0, 120).add(0, 130, 140);

    assertThat(failover.translated("bronze/weather", primary).toJson())
        .isEqualTo("{\"0\":[[0,20],[30,40]]}");
  }

  @Test
  void failingBackSkipsInTheSourceWhatTheTableReadOfTheReplica() {
    Failover failback = new Failover("primary", "weather", "primary.weather", syncs(), true);
    OffsetRanges replica = OffsetRanges.empty().add(0, 30, 60);

    assertThat(failback.translated("bronze/weather", replica).toJson())
        .isEqualTo("{\"0\":[[130,160]]}");
  }
}

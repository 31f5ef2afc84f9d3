package io.tributary.pipelines.silver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The compact id table behind {@link KnownEvents}: look-ups, growth and pruning. */
class KnownEventIdsTest {

  @Test
  void findsEveryIdPutAcrossGrowthAndNoOther() {
    KnownEvents.IdTable table = new KnownEvents.IdTable();
    for (int i = 0; i < 100_000; i++) {
      table.put("event-" + i, i);
    }
    table.put("event-7", 3); // again, with an earlier time: kept once

    assertThat(table.size()).isEqualTo(100_000);
    for (int i = 0; i < 100_000; i++) {
      assertThat(table.contains("event-" + i)).as("event-" + i).isTrue();
    }
    for (int i = 100_000; i < 200_000; i++) {
      assertThat(table.contains("event-" + i)).as("event-" + i).isFalse();
    }
  }

  @Test
  void pruningForgetsOnlyIdsOlderThanTheCut() {
    KnownEvents.IdTable table = new KnownEvents.IdTable();
    for (int i = 0; i < 10_000; i++) {
      table.put("event-" + i, i);
    }
    table.put("event-10", 9_999); // its latest time counts

    table.removeOlderThan(5_000);

    assertThat(table.size()).isEqualTo(5_001);
    for (int i = 0; i < 10_000; i++) {
      assertThat(table.contains("event-" + i)).as("event-" + i).isEqualTo(i >= 5_000 || i == 10);
    }
    assertThat(table.contains("event-10")).isTrue();
    table.put("event-1", 10_000);
    assertThat(table.contains("event-1")).isTrue();
  }
}

package io.tributary.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetRangesTest {

  @Test
  void rangesMergeWhateverTheOrder() {
    OffsetRanges ranges = OffsetRanges.empty();
    for (long offset : new long[] {5, 6, 7, 0, 1, 9, 3, 2, 4, 8}) {
      ranges.add(0, offset);
      ranges.add(0, offset); // again: nothing changes
    }
    ranges.add(1, 10, 20).add(1, 30, 40).add(1, 15, 35);

    assertThat(ranges.toJson()).isEqualTo("{\"0\":[[0,10]],\"1\":[[10,40]]}");
    assertThat(OffsetRanges.fromJson(ranges.toJson())).isEqualTo(ranges);
  }

  @Test
  void gapsDecideWhereARestartReads() {
    OffsetRanges ranges = OffsetRanges.empty().add(0, 0, 100).add(0, 150, 200).add(2, 50, 60);

    assertThat(ranges.frontiers()).isEqualTo(Map.of(0, 100L, 2, 60L));
    assertThat(ranges.firstGapFrom(0, 0)).isEqualTo(100);
    assertThat(ranges.firstGapFrom(0, 120)).isEqualTo(120);
    assertThat(ranges.firstGapFrom(0, 160)).isEqualTo(200);
    assertThat(ranges.firstGapFrom(1, 7)).as("a partition never seen").isEqualTo(7);
    assertThat(ranges.firstGapFrom(2, 0)).as("retention deleted 0..49? read from 0").isZero();
    assertThat(ranges.contains(0, 99)).isTrue();
    assertThat(ranges.contains(0, 100)).isFalse();
  }

  @Test
  void intersectsContainsAndMinus() {
    OffsetRanges table = OffsetRanges.empty().add(0, 0, 100);

    assertThat(table.intersects(OffsetRanges.empty().add(0, 99))).isTrue();
    assertThat(table.intersects(OffsetRanges.empty().add(0, 100, 120))).isFalse();
    assertThat(table.intersects(OffsetRanges.empty().add(1, 0, 100))).isFalse();
    assertThat(table.containsAll(OffsetRanges.empty().add(0, 10, 20))).isTrue();
    assertThat(table.containsAll(OffsetRanges.empty().add(0, 90, 101))).isFalse();
    assertThat(
            OffsetRanges.empty()
                .add(0, 0, 50)
                .add(1, 0, 10)
                .minus(OffsetRanges.empty().add(0, 10, 20).add(0, 40, 60))
                .toJson())
        .isEqualTo("{\"0\":[[0,10],[20,40]],\"1\":[[0,10]]}");
  }

  @Test
  void readsTheEarlierNextOffsetFormat() {
    assertThat(OffsetRanges.fromJson("{\"0\":1234,\"1\":0}").toJson())
        .isEqualTo("{\"0\":[[0,1234]]}");
    assertThatThrownBy(() -> OffsetRanges.fromJson("{\"0\":\"x\"}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unreadable Kafka offset ranges");
  }
}

package io.tributary.pipelines.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

public class OffsetRangesTest {

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

  /**
   * Every operation against a plain set of offsets, on random ranges in random order (the silver
   * files' ranges are many and fragmented): the merging fast paths must not lose or invent an
   * offset.
   */
  @Test
  void agreesWithASetOfOffsetsOnRandomRanges() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int limit = 50 + random.nextInt(2000);
      BitSet[] modelA = {new BitSet(), new BitSet()};
      BitSet[] modelB = {new BitSet(), new BitSet()};
      OffsetRanges a = randomRanges(random, limit, modelA);
      OffsetRanges b = randomRanges(random, limit, modelB);

      assertMatches(a, modelA, limit);
      OffsetRanges roundTrip = serializedAndBack(a);
      assertMatches(roundTrip, modelA, limit);
      assertThat(roundTrip).isEqualTo(a);
      assertThat(OffsetRanges.fromJson(a.toJson())).isEqualTo(a);

      boolean anyCommon = false;
      boolean allOfB = true;
      BitSet[] union = new BitSet[2];
      BitSet[] difference = new BitSet[2];
      for (int p = 0; p < 2; p++) {
        anyCommon |= modelA[p].intersects(modelB[p]);
        BitSet missing = (BitSet) modelB[p].clone();
        missing.andNot(modelA[p]);
        allOfB &= missing.isEmpty();
        union[p] = (BitSet) modelA[p].clone();
        union[p].or(modelB[p]);
        difference[p] = (BitSet) modelA[p].clone();
        difference[p].andNot(modelB[p]);
      }
      assertThat(a.intersects(b)).isEqualTo(anyCommon);
      assertThat(a.containsAll(b)).isEqualTo(allOfB);
      assertMatches(a.minus(b), difference, limit);
      assertMatches(a.copy().addAll(b), union, limit);
      assertMatches(a, modelA, limit); // minus and copy leave a as it was
    }
  }

  private static OffsetRanges randomRanges(Random random, int limit, BitSet[] model) {
    OffsetRanges ranges = OffsetRanges.empty();
    int adds = random.nextInt(300);
    for (int i = 0; i < adds; i++) {
      int partition = random.nextInt(2);
      if (random.nextInt(4) == 0) {
        // a bulk of single offsets, unordered, with repeats
        long[] offsets = new long[1 + random.nextInt(40)];
        for (int k = 0; k < offsets.length; k++) {
          offsets[k] = random.nextInt(limit);
          model[partition].set((int) offsets[k]);
        }
        ranges.addSorting(partition, offsets, offsets.length);
      } else {
        int start = random.nextInt(limit);
        int end = Math.min(limit, start + random.nextInt(random.nextBoolean() ? 3 : 60));
        ranges.add(partition, start, end);
        model[partition].set(start, Math.max(start, end));
      }
    }
    return ranges;
  }

  private static void assertMatches(OffsetRanges ranges, BitSet[] model, int limit) {
    for (int p = 0; p < model.length; p++) {
      for (int offset = 0; offset <= limit; offset++) {
        assertThat(ranges.contains(p, offset))
            .as("partition %d offset %d in %s", p, offset, ranges)
            .isEqualTo(model[p].get(offset));
        assertThat(ranges.firstGapFrom(p, offset)).isEqualTo((long) model[p].nextClearBit(offset));
      }
      // Ranges are stored merged: no two touch.
      Long previousEnd = null;
      for (Map.Entry<Long, Long> span : ranges.spans(p).entrySet()) {
        assertThat(span.getKey()).isLessThan(span.getValue());
        if (previousEnd != null) {
          assertThat(span.getKey()).isGreaterThan(previousEnd);
        }
        previousEnd = span.getValue();
      }
    }
    assertThat(ranges.isEmpty()).isEqualTo(model[0].isEmpty() && model[1].isEmpty());
  }

  private static OffsetRanges serializedAndBack(OffsetRanges ranges) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ranges);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (OffsetRanges) in.readObject();
    }
  }
}

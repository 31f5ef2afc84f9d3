package io.tributary.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionRangeTest {

  @Test
  void splitCoversTheRangeInEvenConsecutivePieces() {
    PartitionRange range = new PartitionRange("t", 3, 1_000, 251_000);

    List<PartitionRange> pieces = range.split(100_000);

    assertThat(pieces).hasSize(3);
    assertThat(pieces.get(0).fromOffset()).isEqualTo(1_000);
    assertThat(pieces.get(2).toOffset()).isEqualTo(251_000);
    for (int i = 1; i < pieces.size(); i++) {
      assertThat(pieces.get(i).fromOffset()).isEqualTo(pieces.get(i - 1).toOffset());
    }
    assertThat(pieces).allSatisfy(piece -> assertThat(piece.size()).isBetween(83_333L, 83_334L));
    assertThat(pieces).allSatisfy(piece -> assertThat(piece.partition()).isEqualTo(3));
  }

  @Test
  void smallAndEmptyRangesStayWhole() {
    assertThat(new PartitionRange("t", 0, 5, 10).split(100))
        .containsExactly(new PartitionRange("t", 0, 5, 10));
    assertThat(new PartitionRange("t", 0, 7, 7).split(100))
        .containsExactly(new PartitionRange("t", 0, 7, 7));
  }
}

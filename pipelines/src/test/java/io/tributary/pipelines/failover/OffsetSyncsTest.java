package io.tributary.pipelines.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OffsetSyncsTest {
  /** Partition 0: upstream 100..199 copied to 0..99, then a gap of 10 upstream, then 210 → 100. */
  private static OffsetSyncs syncs() {
    TreeMap<Long, Long> partition = new TreeMap<>(Map.of(100L, 0L, 150L, 50L, 210L, 100L));
    return new OffsetSyncs(Map.of(0, partition));
  }

  @Test
  void aSyncedOffsetTranslatesExactly() {
    assertThat(syncs().downstreamOf(0, 150)).isEqualTo(50);
    assertThat(syncs().exact(0, 150)).isTrue();
  }

  @Test
  void betweenSyncsAsFarApartOnBothSidesOffsetsMapOneToOne() {
    assertThat(syncs().downstreamOf(0, 120)).isEqualTo(20);
    assertThat(syncs().exact(0, 120)).isTrue();
  }

  @Test
  void acrossAGapTheTranslationNeverSkipsAndReadsAgainWhatItMust() {
    // 150 → 50 and 210 → 100: ten upstream offsets have no record, so 180 is somewhere in 51..100.
    assertThat(syncs().downstreamOf(0, 180)).isEqualTo(51);
    assertThat(syncs().exact(0, 180)).isFalse();
  }

  @Test
  void pastTheLastSyncOnlyTheNextRecordIsKnown() {
    assertThat(syncs().downstreamOf(0, 211)).isEqualTo(101);
    assertThat(syncs().exact(0, 211)).isTrue();
    assertThat(syncs().downstreamOf(0, 230)).isEqualTo(101);
    assertThat(syncs().exact(0, 230)).isFalse();
  }

  @Test
  void withoutASyncAtOrBeforeThePositionTheReplicaIsReadFromItsStart() {
    assertThat(syncs().downstreamOf(0, 50)).isZero();
    assertThat(syncs().downstreamOf(1, 50)).isZero();
  }

  @Test
  void failingBackTranslatesTheReplicaPositionToTheSource() {
    assertThat(syncs().upstreamOf(0, 20)).isEqualTo(120);
    // Replica records past MM2's last (written during the failover) have no source offset.
    assertThat(syncs().upstreamOf(0, 140)).isEqualTo(211);
  }

  @Test
  void aRecordCopiedAgainLaterDoesNotHideItsFirstCopyWhenFailingBack() {
    // MM2 copied upstream 100..199 to 0..99, then (a task restarted from older offsets) 150.. again
    // to 200..: the replica's offset 60 is still upstream 160.
    TreeMap<Long, Long> latest = new TreeMap<>(Map.of(100L, 0L, 150L, 200L, 199L, 249L));
    OffsetSyncs syncs =
        OffsetSyncs.of(
            Map.of(0, latest),
            java.util.List.of(
                new OffsetSyncs.Sync("weather", 0, 100, 0),
                new OffsetSyncs.Sync("weather", 0, 150, 50),
                new OffsetSyncs.Sync("weather", 0, 199, 99),
                new OffsetSyncs.Sync("weather", 0, 150, 200),
                new OffsetSyncs.Sync("weather", 0, 199, 249)));
    assertThat(syncs.upstreamOf(0, 60)).isEqualTo(160);
  }

  @Test
  void decodesMirrorMakersRecordLayout() {
    byte[] name = "weather".getBytes(StandardCharsets.UTF_8);
    byte[] key =
        ByteBuffer.allocate(2 + name.length + 4)
            .putShort((short) name.length)
            .put(name)
            .putInt(3)
            .array();
    byte[] value = ByteBuffer.allocate(16).putLong(42).putLong(7).array();
    assertThat(OffsetSyncs.Sync.decode(key, value))
        .isEqualTo(new OffsetSyncs.Sync("weather", 3, 42, 7));
  }
}

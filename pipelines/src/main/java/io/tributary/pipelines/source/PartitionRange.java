package io.tributary.pipelines.source;

import java.io.Serializable;

/**
 * The records of one topic partition to read in drain mode: offsets {@code [fromOffset, toOffset)}.
 *
 * @param topic Kafka topic
 * @param partition partition number
 * @param fromOffset first offset to read (the position recorded in the lakehouse, or the earliest)
 * @param toOffset end offset taken when the drain started (exclusive)
 */
public record PartitionRange(String topic, int partition, long fromOffset, long toOffset)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public long size() {
    return Math.max(0, toOffset - fromOffset);
  }

  /**
   * This range cut into consecutive pieces of at most {@code maxRecords} offsets, as even as
   * possible (a range of 250,000 by 100,000 gives three of 83,334 or 83,333).
   */
  public java.util.List<PartitionRange> split(long maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be positive, was " + maxRecords);
    }
    long pieces = Math.max(1, (size() + maxRecords - 1) / maxRecords);
    java.util.List<PartitionRange> split = new java.util.ArrayList<>();
    for (long i = 0; i < pieces; i++) {
      long from = fromOffset + size() * i / pieces;
      long to = i == pieces - 1 ? toOffset : fromOffset + size() * (i + 1) / pieces;
      split.add(new PartitionRange(topic, partition, from, to));
    }
    return split;
  }
}

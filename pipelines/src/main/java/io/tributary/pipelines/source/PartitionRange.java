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
}

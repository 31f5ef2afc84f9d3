package io.tributary.pipelines.lakehouse;

import java.io.Serializable;
import java.util.Optional;
import org.joda.time.Duration;

/**
 * How {@link WriteTable} batches rows into files and commits.
 *
 * @param shards files written in parallel per commit (rows are spread round-robin over the shards)
 * @param maxRowsPerFile a shard's file is cut, and committed, once it holds this many rows
 * @param flushInterval in streaming, a shard's rows are committed at the latest this long after its
 *     first row
 * @param positionsTopic when present, rows carry int {@code partition} and long {@code offset}
 *     columns of this Kafka topic, and every commit records the next offset to read per partition
 *     (see {@link Lakehouse#positions})
 */
public record WriteSettings(
    int shards, int maxRowsPerFile, Duration flushInterval, Optional<String> positionsTopic)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_SHARDS = 2;
  public static final int DEFAULT_MAX_ROWS_PER_FILE = 500_000;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.standardSeconds(10);

  /** Column holding the Kafka partition when positions are tracked. */
  public static final String PARTITION = "partition";

  /** Column holding the Kafka offset when positions are tracked. */
  public static final String OFFSET = "offset";

  public WriteSettings {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    if (maxRowsPerFile < 1) {
      throw new IllegalArgumentException(
          "maxRowsPerFile must be at least 1, got " + maxRowsPerFile);
    }
    if (flushInterval == null || !flushInterval.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("flushInterval must be positive, got " + flushInterval);
    }
    if (positionsTopic == null || positionsTopic.map(String::isBlank).orElse(false)) {
      throw new IllegalArgumentException("positionsTopic must be empty or a topic name");
    }
  }

  /** 2 shards, 500,000 rows per file, 10 s flush interval, no positions. */
  public static final WriteSettings DEFAULTS =
      new WriteSettings(
          DEFAULT_SHARDS, DEFAULT_MAX_ROWS_PER_FILE, DEFAULT_FLUSH_INTERVAL, Optional.empty());

  public WriteSettings withShards(int shards) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, positionsTopic);
  }

  public WriteSettings withMaxRowsPerFile(int maxRowsPerFile) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, positionsTopic);
  }

  public WriteSettings withFlushInterval(Duration flushInterval) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, positionsTopic);
  }

  public WriteSettings withPositionsTopic(Optional<String> topic) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, topic);
  }

  // Optional is not serializable: Java serialization (DoFns capture settings) uses a proxy.
  private Object writeReplace() {
    return new SerializedForm(shards, maxRowsPerFile, flushInterval, positionsTopic.orElse(null));
  }

  private record SerializedForm(
      int shards, int maxRowsPerFile, Duration flushInterval, String positionsTopic)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return new WriteSettings(
          shards, maxRowsPerFile, flushInterval, Optional.ofNullable(positionsTopic));
    }
  }
}

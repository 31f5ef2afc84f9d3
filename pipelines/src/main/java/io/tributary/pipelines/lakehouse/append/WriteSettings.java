package io.tributary.pipelines.lakehouse.append;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.offsets.OffsetRanges;
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
 * @param lineage when present, rows carry the Kafka partition and offset of the record they come
 *     from, and every commit records, with its data, the offsets the table has accounted for (see
 *     {@link OffsetRanges}, {@link Lakehouse#accounted})
 */
public record WriteSettings(
    int shards, int maxRowsPerFile, Duration flushInterval, Optional<Lineage> lineage)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_SHARDS = 2;
  public static final int DEFAULT_MAX_ROWS_PER_FILE = 500_000;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.standardSeconds(10);

  /** Bronze's column holding the Kafka partition. */
  public static final String PARTITION = "partition";

  /** Bronze's column holding the Kafka offset. */
  public static final String OFFSET = "offset";

  /**
   * Where a table's rows come from: a Kafka topic, and the int column and long column of each row
   * holding its record's partition and offset.
   */
  public record Lineage(String topic, String partitionColumn, String offsetColumn)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Lineage {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("lineage needs a topic name");
      }
    }

    /** Rows with bronze's {@code partition} and {@code offset} columns. */
    public static Lineage of(String topic) {
      return new Lineage(topic, PARTITION, OFFSET);
    }
  }

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
    if (lineage == null) {
      throw new IllegalArgumentException("lineage must be empty or present, not null");
    }
  }

  /** 2 shards, 500,000 rows per file, 10 s flush interval, no positions. */
  public static final WriteSettings DEFAULTS =
      new WriteSettings(
          DEFAULT_SHARDS, DEFAULT_MAX_ROWS_PER_FILE, DEFAULT_FLUSH_INTERVAL, Optional.empty());

  public WriteSettings withShards(int shards) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, lineage);
  }

  public WriteSettings withMaxRowsPerFile(int maxRowsPerFile) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, lineage);
  }

  public WriteSettings withFlushInterval(Duration flushInterval) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, lineage);
  }

  /** Rows with bronze's {@code partition} and {@code offset} columns of {@code topic}. */
  public WriteSettings withAccountedTopic(Optional<String> topic) {
    return withLineage(topic.map(Lineage::of));
  }

  public WriteSettings withLineage(Optional<Lineage> lineage) {
    return new WriteSettings(shards, maxRowsPerFile, flushInterval, lineage);
  }

  /** The topic whose offsets the table accounts for, if any. */
  public Optional<String> accountedTopic() {
    return lineage.map(Lineage::topic);
  }

  // Optional is not serializable: Java serialization (DoFns capture settings) uses a proxy.
  private Object writeReplace() {
    return new SerializedForm(shards, maxRowsPerFile, flushInterval, lineage.orElse(null));
  }

  private record SerializedForm(
      int shards, int maxRowsPerFile, Duration flushInterval, Lineage lineage)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return new WriteSettings(shards, maxRowsPerFile, flushInterval, Optional.ofNullable(lineage));
    }
  }
}

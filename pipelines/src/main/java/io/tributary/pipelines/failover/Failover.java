package io.tributary.pipelines.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run that fails over ({@code --failoverFrom=ALIAS}): it reads {@code ALIAS.<topic>}, the replica
 * MirrorMaker 2 keeps of the lost cluster's {@code <topic>} on this one, and continues the tables
 * fed by {@code <topic>}.
 *
 * <p>A table records offsets per topic, so the replica's offsets (other coordinates) are recorded
 * apart from the source's, and bronze rows read in failover carry the replica's topic name. Until a
 * table has read the replica, it counts as having accounted for the replica offsets below the
 * translation of its own source position ({@link OffsetSyncs#downstreamOf}): it skips exactly
 * those, so it neither reads again what it holds (up to the records between the nearest offset sync
 * and its position, which silver drops as duplicates by event id) nor skips a record.
 *
 * <p>Failing back ({@code --failbackFrom=ALIAS@SECONDARY}) is the same the other way: until a table
 * has read {@code <topic>} again, it counts as having accounted for the source offsets before the
 * translation of its position in the replica ({@link OffsetSyncs#upstreamOf}); the source's records
 * MM2 had not copied when the source was lost come after those, and are read.
 *
 * <p>The failovers of a run are known to this JVM only (the driver, where tables are resumed).
 */
public record Failover(
    String alias, String sourceTopic, String replicaTopic, OffsetSyncs syncs, boolean back) {
  private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Replica topic → failover, for the runs of this JVM. */
  private static final Map<String, Failover> ACTIVE = new ConcurrentHashMap<>();

  /** The name MirrorMaker 2's default replication policy gives {@code topic} of {@code alias}. */
  public static String replicaTopic(String alias, String topic) {
    return alias + "." + topic;
  }

  /**
   * Reads the offset syncs of {@code sourceTopic} on {@code secondary} and makes the tables resume
   * the replica from their translated positions for the rest of this JVM's runs.
   */
  public static Failover start(KafkaConnection secondary, String alias, String sourceTopic) {
    return begin(secondary, alias, sourceTopic, false);
  }

  /**
   * Reads the offset syncs of {@code sourceTopic} on {@code secondary}, where the failover ran, and
   * makes the tables resume {@code sourceTopic} after what they read of its replica.
   */
  public static Failover startBack(KafkaConnection secondary, String alias, String sourceTopic) {
    return begin(secondary, alias, sourceTopic, true);
  }

  private static Failover begin(
      KafkaConnection secondary, String alias, String sourceTopic, boolean back) {
    Failover failover =
        new Failover(
            alias,
            sourceTopic,
            replicaTopic(alias, sourceTopic),
            OffsetSyncs.read(secondary, alias, sourceTopic),
            back);
    ACTIVE.put(failover.topicRead(), failover);
    LOG.info(
        back
            ? "failing back to {}: topic {} continues after what was read of {} on {}"
            : "failing over from {}: topic {} is read as {} on {}",
        alias,
        sourceTopic,
        failover.replicaTopic(),
        secondary.describe());
    return failover;
  }

  /** The topic a run reads: the replica when failing over, the source again when failing back. */
  String topicRead() {
    return back ? sourceTopic : replicaTopic;
  }

  /** The failover that reads {@code topic}, if {@code topic} is a replica read in failover. */
  public static Optional<Failover> reading(String topic) {
    return Optional.ofNullable(ACTIVE.get(topic));
  }

  /**
   * The offsets of {@code topic} the table has accounted for: what it recorded, and when {@code
   * topic} is a replica read in failover, the replica offsets before its translated position.
   */
  public static OffsetRanges accounted(Lakehouse lakehouse, TableSpec table, String topic) {
    OffsetRanges recorded = lakehouse.accounted(table, topic);
    Optional<Failover> failover = reading(topic);
    if (recorded == null || failover.isEmpty()) {
      return recorded;
    }
    Failover f = failover.get();
    OffsetRanges other = lakehouse.accounted(table, f.back() ? f.replicaTopic() : f.sourceTopic());
    return recorded.copy().addAll(f.translated(table.name(), other));
  }

  /**
   * The offsets of the topic read now that the table's accounted offsets of the other one (the
   * source when failing over, the replica when failing back) stand for, range by range: a range
   * ends at the translation of its end (never past a record not read) and starts at that of its
   * start (never before a record not read). A table's offsets can hold gaps (commits out of order,
   * a run killed between them): the records after a gap are not read again. A failover's first
   * range starts at the replica's beginning.
   */
  OffsetRanges translated(String table, OffsetRanges other) {
    OffsetRanges read = OffsetRanges.empty();
    JsonNode partitions;
    try {
      partitions = JSON.readTree(other.toJson());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    partitions
        .fields()
        .forEachRemaining(
            entry -> {
              int partition = Integer.parseInt(entry.getKey());
              JsonNode spans = entry.getValue();
              for (int i = 0; i < spans.size(); i++) {
                long start = spans.get(i).get(0).asLong();
                long end = spans.get(i).get(1).asLong();
                long from =
                    back
                        ? syncs.upstreamAtOrAfter(partition, start)
                        : i == 0 ? 0 : syncs.downstreamAtOrAfter(partition, start);
                long to =
                    back ? syncs.upstreamOf(partition, end) : syncs.downstreamOf(partition, end);
                if (i == spans.size() - 1 || i == 0) {
                  LOG.info(
                      "{}: {} partition {} at offset {} resumes {} at offset {}{}",
                      table,
                      back ? replicaTopic : sourceTopic,
                      partition,
                      end,
                      topicRead(),
                      to,
                      back
                          ? ""
                          : syncs.exact(partition, end) ? " (exact)" : " (nearest offset sync)");
                }
                if (from < to) {
                  read.add(partition, from, to);
                }
              }
            });
    return read;
  }
}

package io.tributary.pipelines.failover;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.OffsetRanges;
import io.tributary.pipelines.lakehouse.TableSpec;
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
 * <p>The failovers of a run are known to this JVM only (the driver, where tables are resumed).
 */
public record Failover(String alias, String sourceTopic, String replicaTopic, OffsetSyncs syncs) {
  private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

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
    Failover failover =
        new Failover(
            alias,
            sourceTopic,
            replicaTopic(alias, sourceTopic),
            OffsetSyncs.read(secondary, alias, sourceTopic));
    ACTIVE.put(failover.replicaTopic(), failover);
    LOG.info(
        "failing over from {}: topic {} is read as {} on {}",
        alias,
        sourceTopic,
        failover.replicaTopic(),
        secondary.describe());
    return failover;
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
    OffsetRanges source = lakehouse.accounted(table, failover.get().sourceTopic());
    return recorded.copy().addAll(failover.get().translated(table.name(), source));
  }

  /** Per partition, the replica offsets before the translation of the table's source position. */
  OffsetRanges translated(String table, OffsetRanges source) {
    OffsetRanges replica = OffsetRanges.empty();
    source
        .frontiers()
        .forEach(
            (partition, next) -> {
              long downstream = syncs.downstreamOf(partition, next);
              LOG.info(
                  "{}: {} partition {} at source offset {} resumes {} at offset {} ({})",
                  table,
                  sourceTopic,
                  partition,
                  next,
                  replicaTopic,
                  downstream,
                  syncs.exact(partition, next) ? "exact" : "nearest offset sync");
              if (downstream > 0) {
                replica.add(partition, 0, downstream);
              }
            });
    return replica;
  }
}

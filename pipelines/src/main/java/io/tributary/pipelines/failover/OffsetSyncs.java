package io.tributary.pipelines.failover;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.source.KafkaSettings;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * MirrorMaker 2's offset syncs of one source topic: per partition, source ("upstream") offset → the
 * offset MM2 wrote that record at in the replica ("downstream"). Read from the {@code
 * mm2-offset-syncs.<alias>.internal} topic that {@code ./tributary replicate} keeps on the target
 * cluster ({@code offset-syncs.topic.location=target}), so it outlives the source.
 *
 * <p>MM2 writes a sync for some records only (for every one it can with {@code offset.lag.max=0},
 * dropping some under load); between two syncs, offsets are translated as MM2's own checkpoints do:
 * never past a record not yet read, at the cost of reading again the records between the nearest
 * sync and the position.
 */
public final class OffsetSyncs implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Partition → upstream offset → downstream offset (of its latest copy). */
  private final Map<Integer, TreeMap<Long, Long>> syncs;

  /**
   * Partition → downstream offset → upstream offset, every sync: a record MM2 copied again (a task
   * restarted from older committed offsets) has a later sync that must not hide the first.
   */
  private final Map<Integer, TreeMap<Long, Long>> byDownstream = new HashMap<>();

  OffsetSyncs(Map<Integer, TreeMap<Long, Long>> syncs) {
    this(syncs, List.of());
  }

  /** Syncs as read: latest copy per upstream offset, and every sync in the order written. */
  static OffsetSyncs of(Map<Integer, TreeMap<Long, Long>> syncs, List<Sync> all) {
    return new OffsetSyncs(syncs, all);
  }

  private OffsetSyncs(Map<Integer, TreeMap<Long, Long>> syncs, List<Sync> all) {
    this.syncs = syncs;
    syncs.forEach(
        (partition, map) ->
            map.forEach(
                (up, down) ->
                    byDownstream.computeIfAbsent(partition, p -> new TreeMap<>()).put(down, up)));
    for (Sync sync : all) {
      byDownstream
          .computeIfAbsent(sync.partition(), p -> new TreeMap<>())
          .put(sync.downstream(), sync.upstream());
    }
  }

  /** The offset syncs topic MM2 keeps on the target for replication from cluster {@code alias}. */
  public static String topic(String alias) {
    return "mm2-offset-syncs." + alias + ".internal";
  }

  /**
   * Reads every sync of {@code sourceTopic} from the offset syncs topic of replication from {@code
   * alias}, on {@code target}.
   *
   * @throws IllegalArgumentException if that topic does not exist (no replication from {@code
   *     alias} ran against this cluster)
   */
  public static OffsetSyncs read(KafkaConnection target, String alias, String sourceTopic) {
    String syncsTopic = topic(alias);
    Map<Integer, TreeMap<Long, Long>> syncs = new HashMap<>();
    List<Sync> all = new ArrayList<>();
    try (Consumer<byte[], byte[]> consumer = KafkaSettings.newConsumer(target)) {
      List<PartitionInfo> infos = consumer.partitionsFor(syncsTopic);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "--failoverFrom="
                + alias
                + ": "
                + target.describe()
                + " has no topic "
                + syncsTopic
                + ", so no MirrorMaker 2 replication from '"
                + alias
                + "' ran against it with offset syncs on the target (./tributary replicate"
                + " --fromAlias="
                + alias
                + " does)");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(info -> partitions.add(new TopicPartition(syncsTopic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Sync sync = Sync.decode(record.key(), record.value());
          if (sync.topic().equals(sourceTopic)) {
            all.add(sync);
            syncs
                .computeIfAbsent(sync.partition(), p -> new TreeMap<>())
                .put(sync.upstream(), sync.downstream());
          }
        }
      }
    }
    return new OffsetSyncs(syncs, all);
  }

  /**
   * Where to read the replica of a partition whose source records before {@code upstreamNext} were
   * read. Exact when MM2 wrote a sync for {@code upstreamNext}, or when the syncs on both sides of
   * it are as far apart upstream as downstream (no record missing between them, so offsets map one
   * to one); else one past the nearest earlier sync (the records between are read again); 0 with no
   * sync at or before it.
   */
  public long downstreamOf(int partition, long upstreamNext) {
    TreeMap<Long, Long> partitionSyncs = syncs.getOrDefault(partition, new TreeMap<>());
    Map.Entry<Long, Long> floor = partitionSyncs.floorEntry(upstreamNext);
    if (floor == null) {
      return 0;
    }
    if (floor.getKey() == upstreamNext) {
      return floor.getValue();
    }
    Map.Entry<Long, Long> ceiling = partitionSyncs.ceilingEntry(upstreamNext);
    if (ceiling != null && oneToOne(floor, ceiling)) {
      return floor.getValue() + (upstreamNext - floor.getKey());
    }
    return floor.getValue() + 1;
  }

  /**
   * Where to read the source of a partition whose replica records before {@code downstreamNext}
   * were read (failing back), by the same rules as {@link #downstreamOf}. Replica records past the
   * last sync (written there during a failover, not by MM2) have no source offset: the source is
   * read from one past the last record MM2 copied.
   */
  public long upstreamOf(int partition, long downstreamNext) {
    TreeMap<Long, Long> partitionSyncs = byDownstream.getOrDefault(partition, new TreeMap<>());
    Map.Entry<Long, Long> floor = partitionSyncs.floorEntry(downstreamNext);
    if (floor == null) {
      return 0;
    }
    if (floor.getKey() == downstreamNext) {
      return floor.getValue();
    }
    Map.Entry<Long, Long> ceiling = partitionSyncs.ceilingEntry(downstreamNext);
    if (ceiling != null
        && ceiling.getValue() - floor.getValue() == ceiling.getKey() - floor.getKey()) {
      return floor.getValue() + (downstreamNext - floor.getKey());
    }
    return floor.getValue() + 1;
  }

  /**
   * The replica offset of the first record at or after source offset {@code upstream}, never below
   * it: exact as in {@link #downstreamOf}, else the next sync's; {@link Long#MAX_VALUE} past the
   * last sync. Where a range of source offsets a table holds starts in the replica.
   */
  public long downstreamAtOrAfter(int partition, long upstream) {
    TreeMap<Long, Long> partitionSyncs = syncs.getOrDefault(partition, new TreeMap<>());
    Map.Entry<Long, Long> ceiling = partitionSyncs.ceilingEntry(upstream);
    if (ceiling == null) {
      return Long.MAX_VALUE;
    }
    return exact(partition, upstream) ? downstreamOf(partition, upstream) : ceiling.getValue();
  }

  /** As {@link #downstreamAtOrAfter}, from a replica offset to the source (failing back). */
  public long upstreamAtOrAfter(int partition, long downstream) {
    TreeMap<Long, Long> partitionSyncs = byDownstream.getOrDefault(partition, new TreeMap<>());
    Map.Entry<Long, Long> floor = partitionSyncs.floorEntry(downstream);
    Map.Entry<Long, Long> ceiling = partitionSyncs.ceilingEntry(downstream);
    if (ceiling == null) {
      return Long.MAX_VALUE;
    }
    if (ceiling.getKey() == downstream
        || (floor != null
            && ceiling.getValue() - floor.getValue() == ceiling.getKey() - floor.getKey())) {
      return upstreamOf(partition, downstream);
    }
    return ceiling.getValue();
  }

  /** Whether {@link #downstreamOf} of {@code upstreamNext} reads nothing twice. */
  public boolean exact(int partition, long upstreamNext) {
    TreeMap<Long, Long> partitionSyncs = syncs.getOrDefault(partition, new TreeMap<>());
    Map.Entry<Long, Long> floor = partitionSyncs.floorEntry(upstreamNext);
    Map.Entry<Long, Long> ceiling = partitionSyncs.ceilingEntry(upstreamNext);
    return floor != null
        && (floor.getKey() == upstreamNext
            || floor.getKey() == upstreamNext - 1
            || (ceiling != null && oneToOne(floor, ceiling)));
  }

  private static boolean oneToOne(Map.Entry<Long, Long> from, Map.Entry<Long, Long> to) {
    return to.getValue() - from.getValue() == to.getKey() - from.getKey();
  }

  /** One record of the offset syncs topic, as MM2's {@code OffsetSync} serializes it. */
  record Sync(String topic, int partition, long upstream, long downstream) {
    /** Key: topic (int16 length, UTF-8), partition (int32); value: two int64. */
    static Sync decode(byte[] key, byte[] value) {
      ByteBuffer k = ByteBuffer.wrap(key);
      byte[] name = new byte[k.getShort()];
      k.get(name);
      int partition = k.getInt();
      ByteBuffer v = ByteBuffer.wrap(value);
      return new Sync(
          new String(name, StandardCharsets.UTF_8), partition, v.getLong(), v.getLong());
    }
  }
}

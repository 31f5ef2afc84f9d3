package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the offset ranges of each cycle of a run: per partition, from where the previous cycle
 * ended (the first cycle: where the tables stand, as {@link DrainPlanner} decides) up to the end
 * offset now, at most a given number of records in all. The positions live here between cycles,
 * with one consumer for the offset look-ups, so a cycle reads neither the tables' offsets nor opens
 * a connection to plan.
 *
 * <p>A partition whose records retention deleted before they were read is resumed at its earliest
 * offset, and the records lost are counted ({@link #lost}); a partition whose end offset went back
 * below its position (the topic was deleted and created again, or the broker's data was wiped)
 * stops the run: its new records would be taken for records the tables already hold.
 */
public final class CyclePlanner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CyclePlanner.class);

  /** How soon partitions added to a topic are read. */
  static final java.time.Duration PARTITIONS_REFRESH = java.time.Duration.ofSeconds(10);

  private final KafkaConnection connection;
  private final Consumer<byte[], byte[]> consumer;

  /** Topic → partition → next offset to read. */
  private final Map<String, Map<Integer, Long>> next = new LinkedHashMap<>();

  /**
   * Topic → offsets retention deleted before they were read, found by a plan and not yet accounted
   * for by a committed cycle.
   */
  private final Map<String, OffsetRanges> lost = new LinkedHashMap<>();

  public CyclePlanner(KafkaConnection connection) {
    this.connection = connection;
    // Partitions added to a topic (Kafka, Event Hubs Premium) appear at the next metadata refresh.
    this.consumer =
        KafkaSettings.newConsumer(
            connection,
            Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                (int) PARTITIONS_REFRESH.toMillis()));
  }

  /**
   * Starts a topic where its tables stand: per partition, the least advanced table's position (the
   * end of the contiguous run of offsets it has accounted for from its lowest one), or the earliest
   * offset still in Kafka for a partition no table has read. A position below the earliest offset
   * is lost to retention: the first plan counts it.
   *
   * @param tables the offsets each table fed by the topic has accounted for
   * @throws IllegalArgumentException if the topic does not exist or cannot be read
   */
  public void start(String topic, List<OffsetRanges> tables) {
    try {
      List<TopicPartition> partitions = partitions(topic);
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      Map<Integer, Long> positions = new TreeMap<>();
      for (TopicPartition partition : partitions) {
        positions.put(
            partition.partition(),
            resumeAt(tables, partition.partition(), earliest.get(partition)));
      }
      next.put(topic, positions);
      lost.put(topic, OffsetRanges.empty());
    } catch (KafkaException e) {
      throw DrainPlanner.unreadable(connection, topic, e);
    }
  }

  /**
   * Where a partition resumes: the lowest of the tables' positions. A table that has accounted for
   * nothing of the partition starts at {@code earliest}.
   */
  static long resumeAt(List<OffsetRanges> tables, int partition, long earliest) {
    long from = Long.MAX_VALUE;
    for (OffsetRanges table : tables) {
      from = Math.min(from, table.frontiers().getOrDefault(partition, earliest));
    }
    return tables.isEmpty() ? earliest : from;
  }

  /** Topic → partition → end offset now, for every started topic. */
  public Map<String, Map<Integer, Long>> endOffsets() {
    Map<String, Map<Integer, Long>> now = new LinkedHashMap<>();
    for (String topic : next.keySet()) {
      now.put(topic, endOffsets(topic));
    }
    return now;
  }

  /**
   * Partition → end offset now (of committed records: the last stable offset).
   *
   * @throws IllegalArgumentException if the topic does not exist or cannot be read
   */
  public Map<Integer, Long> endOffsets(String topic) {
    try {
      Map<Integer, Long> byPartition = new TreeMap<>();
      consumer
          .endOffsets(partitions(topic))
          .forEach((partition, end) -> byPartition.put(partition.partition(), end));
      return byPartition;
    } catch (KafkaException e) {
      throw DrainPlanner.unreadable(connection, topic, e);
    }
  }

  /**
   * The next cycle's ranges per topic: from each partition's position up to the end offset now
   * (never past {@code upTo}, the end offsets a drain took at its start, when given), cut to at
   * most {@code maxRecords} in all in proportion to what each partition has. Partitions with
   * nothing to read are left out; a topic with nothing is mapped to an empty list.
   */
  public Map<String, List<PartitionRange>> plan(
      long maxRecords, Map<String, Map<Integer, Long>> upTo) {
    Map<String, Map<Integer, Long>> now = endOffsets();
    long available = 0;
    Map<String, Map<Integer, long[]>> spans = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Integer, Long>> topic : now.entrySet()) {
      Map<Integer, Long> positions = next.get(topic.getKey());
      Map<Integer, Long> earliest = earliest(topic.getKey());
      Map<Integer, long[]> byPartition = new TreeMap<>();
      for (Map.Entry<Integer, Long> partition : topic.getValue().entrySet()) {
        int number = partition.getKey();
        long end = partition.getValue();
        long from = positions.getOrDefault(number, earliest.getOrDefault(number, 0L));
        if (end < from) {
          throw new IllegalStateException(
              "partition "
                  + number
                  + " of "
                  + connection.topicNoun()
                  + " '"
                  + topic.getKey()
                  + "' ends at offset "
                  + end
                  + ", below the "
                  + from
                  + " the lakehouse has already read: the topic was deleted and created again,"
                  + " or its broker's data was wiped. Its new records would be taken for records"
                  + " the tables hold, so the run stops. Restart with --startTopicAfresh="
                  + topic.getKey()
                  + " to read it from its earliest offset into the same tables (their rows"
                  + " stay), or point --lakehouse at a new directory");
        }
        long first = earliest.getOrDefault(number, 0L);
        if (from < first) {
          long gone = first - from;
          lost.computeIfAbsent(topic.getKey(), t -> OffsetRanges.empty()).add(number, from, first);
          LOG.warn(
              "{} partition {}: offsets {} to {} were deleted by retention before they were read;"
                  + " {} records lost, resuming at {}",
              topic.getKey(),
              number,
              from,
              first - 1,
              gone,
              first);
          from = first;
          positions.put(number, from);
        }
        long to = end;
        if (upTo != null) {
          to = Math.min(to, upTo.getOrDefault(topic.getKey(), Map.of()).getOrDefault(number, to));
        }
        byPartition.put(number, new long[] {from, Math.max(from, to)});
        available += Math.max(0, to - from);
      }
      spans.put(topic.getKey(), byPartition);
    }
    // Over the cap, each partition gets a share in proportion to its backlog (at least one record,
    // so that none starves), and what rounding left over goes to the first partitions with more.
    Map<String, Map<Integer, Long>> sizes = new LinkedHashMap<>();
    long given = 0;
    for (Map.Entry<String, Map<Integer, long[]>> topic : spans.entrySet()) {
      Map<Integer, Long> byPartition = new TreeMap<>();
      for (Map.Entry<Integer, long[]> partition : topic.getValue().entrySet()) {
        long size = partition.getValue()[1] - partition.getValue()[0];
        if (available > maxRecords && size > 0) {
          size = Math.min(size, Math.max(1, (long) ((double) size * maxRecords / available)));
        }
        byPartition.put(partition.getKey(), size);
        given += size;
      }
      sizes.put(topic.getKey(), byPartition);
    }
    long left = Math.min(available, maxRecords) - given;
    for (Map.Entry<String, Map<Integer, long[]>> topic : spans.entrySet()) {
      for (Map.Entry<Integer, long[]> partition : topic.getValue().entrySet()) {
        if (left <= 0) {
          break;
        }
        long backlog = partition.getValue()[1] - partition.getValue()[0];
        long size = sizes.get(topic.getKey()).get(partition.getKey());
        long more = Math.min(left, backlog - size);
        if (more > 0) {
          sizes.get(topic.getKey()).put(partition.getKey(), size + more);
          left -= more;
        }
      }
    }
    Map<String, List<PartitionRange>> plan = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Integer, long[]>> topic : spans.entrySet()) {
      List<PartitionRange> ranges = new ArrayList<>();
      for (Map.Entry<Integer, long[]> partition : topic.getValue().entrySet()) {
        long from = partition.getValue()[0];
        long size = sizes.get(topic.getKey()).get(partition.getKey());
        if (size > 0) {
          ranges.add(new PartitionRange(topic.getKey(), partition.getKey(), from, from + size));
        }
      }
      plan.put(topic.getKey(), ranges);
    }
    return plan;
  }

  /**
   * After a cycle committed {@code ranges}, and accounted for the offsets {@link #lost} returned
   * before it: the next cycle starts where they end.
   */
  public void advance(Map<String, List<PartitionRange>> ranges) {
    ranges.forEach(
        (topic, list) ->
            list.forEach(
                range -> next.get(topic).merge(range.partition(), range.toOffset(), Math::max)));
    ranges.keySet().forEach(topic -> lost.put(topic, OffsetRanges.empty()));
  }

  /** Records per topic between the positions and the end offsets now. */
  public Map<String, Long> lag() {
    Map<String, Long> lag = new LinkedHashMap<>();
    endOffsets()
        .forEach(
            (topic, byPartition) -> {
              long behind = 0;
              for (Map.Entry<Integer, Long> partition : byPartition.entrySet()) {
                behind +=
                    Math.max(
                        0,
                        partition.getValue()
                            - next.get(topic).getOrDefault(partition.getKey(), 0L));
              }
              lag.put(topic, behind);
            });
    return lag;
  }

  /**
   * Whether every partition's position reached {@code upTo}, and every offset found lost was
   * accounted for.
   */
  public boolean reached(Map<String, Map<Integer, Long>> upTo) {
    if (lost.values().stream().anyMatch(offsets -> !offsets.isEmpty())) {
      return false;
    }
    for (Map.Entry<String, Map<Integer, Long>> topic : upTo.entrySet()) {
      for (Map.Entry<Integer, Long> partition : topic.getValue().entrySet()) {
        if (next.get(topic.getKey()).getOrDefault(partition.getKey(), 0L) < partition.getValue()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Per topic, the offsets retention deleted before they were read, found by the plans since the
   * last {@link #advance}: the next cycle accounts for them in every table (so that they are not
   * looked for again) and counts them as {@code lost_to_retention}.
   */
  public Map<String, OffsetRanges> lost() {
    Map<String, OffsetRanges> copy = new LinkedHashMap<>();
    lost.forEach((topic, offsets) -> copy.put(topic, offsets.copy()));
    return copy;
  }

  private Map<Integer, Long> earliest(String topic) {
    Map<Integer, Long> earliest = new TreeMap<>();
    try {
      consumer
          .beginningOffsets(partitions(topic))
          .forEach((partition, offset) -> earliest.put(partition.partition(), offset));
    } catch (KafkaException e) {
      throw DrainPlanner.unreadable(connection, topic, e);
    }
    return earliest;
  }

  private List<TopicPartition> partitions(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw DrainPlanner.missingTopic(connection, topic);
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    return partitions;
  }

  @Override
  public void close() {
    consumer.close(java.time.Duration.ofSeconds(5));
  }
}

package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.lakehouse.OffsetRanges;
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

  private final KafkaConnection connection;
  private final Consumer<byte[], byte[]> consumer;

  /** Topic → partition → next offset to read. */
  private final Map<String, Map<Integer, Long>> next = new LinkedHashMap<>();

  /** Topic → partition → end offset at the last plan. */
  private final Map<String, Long> lost = new TreeMap<>();

  public CyclePlanner(KafkaConnection connection) {
    this.connection = connection;
    this.consumer = KafkaSettings.newConsumer(connection);
  }

  /**
   * Starts a topic where its tables stand: per partition, the first offset some table has not
   * accounted for, or the earliest offset still in Kafka.
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
            DrainPlanner.resumeAt(tables, partition.partition(), earliest.get(partition)));
      }
      next.put(topic, positions);
    } catch (KafkaException e) {
      throw DrainPlanner.unreadable(connection, topic, e);
    }
  }

  /** Topic → partition → end offset now, for every started topic. */
  public Map<String, Map<Integer, Long>> endOffsets() {
    Map<String, Map<Integer, Long>> now = new LinkedHashMap<>();
    for (String topic : next.keySet()) {
      try {
        Map<Integer, Long> byPartition = new TreeMap<>();
        consumer
            .endOffsets(partitions(topic))
            .forEach((partition, end) -> byPartition.put(partition.partition(), end));
        now.put(topic, byPartition);
      } catch (KafkaException e) {
        throw DrainPlanner.unreadable(connection, topic, e);
      }
    }
    return now;
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
                  + " the tables hold; stop here and start that topic's tables afresh in a new"
                  + " lakehouse (or with another --topic)");
        }
        long first = earliest.getOrDefault(number, 0L);
        if (from < first) {
          long gone = first - from;
          lost.merge(topic.getKey(), gone, Long::sum);
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

  /** After a cycle committed {@code ranges}: the next cycle starts where they end. */
  public void advance(Map<String, List<PartitionRange>> ranges) {
    ranges.forEach(
        (topic, list) ->
            list.forEach(
                range -> next.get(topic).merge(range.partition(), range.toOffset(), Math::max)));
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

  /** Whether every partition's position reached {@code upTo}. */
  public boolean reached(Map<String, Map<Integer, Long>> upTo) {
    for (Map.Entry<String, Map<Integer, Long>> topic : upTo.entrySet()) {
      for (Map.Entry<Integer, Long> partition : topic.getValue().entrySet()) {
        if (next.get(topic.getKey()).getOrDefault(partition.getKey(), 0L) < partition.getValue()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Records per topic that retention deleted before this run read them. */
  public Map<String, Long> lost() {
    return Map.copyOf(lost);
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

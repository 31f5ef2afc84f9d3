package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides what a drain reads: for each partition of a topic, from the position the lakehouse
 * recorded (or the earliest offset) up to the end offset at this moment. Runs on the driver before
 * the pipeline is built, so the pipeline is bounded and finishes as soon as those records are
 * processed.
 */
public final class DrainPlanner {
  private DrainPlanner() {}

  /**
   * Plans the records every table still needs: per partition, from the first offset (at or after
   * the earliest still in Kafka) that some table has not accounted for, to the end offset now.
   * Tables skip what they already hold, so reading from the least advanced one is exact.
   *
   * @param tables the offsets each table fed by the topic has accounted for
   * @throws IllegalArgumentException if the topic does not exist
   */
  public static List<PartitionRange> plan(
      KafkaConnection connection, String topic, List<OffsetRanges> tables) {
    try (Consumer<byte[], byte[]> consumer = KafkaSettings.newConsumer(connection)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw missingTopic(connection, topic);
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<PartitionRange> ranges = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        long to = end.get(partition);
        long from = Math.min(to, resumeAt(tables, partition.partition(), earliest.get(partition)));
        if (from < to) {
          ranges.add(new PartitionRange(topic, partition.partition(), from, to));
        }
      }
      ranges.sort(java.util.Comparator.comparingInt(PartitionRange::partition));
      return ranges;
    } catch (KafkaException e) {
      throw unreadable(connection, topic, e);
    }
  }

  /**
   * Sets the streaming consumer group of {@code dataset} to where the tables resume (see {@link
   * #plan(KafkaConnection, String, List)}), so that KafkaIO, which starts from the group's
   * committed offsets, reads nothing a table misses. Returns the positions set.
   */
  public static Map<Integer, Long> resumeStream(
      KafkaConnection connection, String dataset, String topic, List<OffsetRanges> tables) {
    List<PartitionRange> remaining = plan(connection, topic, tables);
    Map<String, Object> config = new java.util.HashMap<>(KafkaSettings.tuning());
    config.putAll(connection.clientSettings(KafkaConnection.Role.CONSUMER));
    config.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG,
        KafkaSettings.groupId(dataset, topic));
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> commits =
        new java.util.HashMap<>();
    Map<Integer, Long> positions = new java.util.TreeMap<>();
    for (PartitionRange range : remaining) {
      commits.put(
          new TopicPartition(topic, range.partition()),
          new org.apache.kafka.clients.consumer.OffsetAndMetadata(range.fromOffset()));
      positions.put(range.partition(), range.fromOffset());
    }
    if (commits.isEmpty()) {
      return positions;
    }
    try (Consumer<byte[], byte[]> consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(config)) {
      consumer.commitSync(commits);
      return positions;
    } catch (KafkaException e) {
      throw unreadable(connection, topic, e);
    }
  }

  static IllegalArgumentException missingTopic(KafkaConnection connection, String topic) {
    return new IllegalArgumentException(
        connection.topicNoun()
            + " '"
            + topic
            + "' does not exist in "
            + connection.describe()
            + (connection.isEventHubs()
                ? ": create it first (Terraform, the Azure portal or az eventhubs eventhub"
                    + " create), or fix --topic"
                : ": generate into it first (./tributary generate), or fix --topic"));
  }

  static long resumeAt(List<OffsetRanges> tables, int partition, long earliest) {
    long from = Long.MAX_VALUE;
    for (OffsetRanges table : tables) {
      from = Math.min(from, table.firstGapFrom(partition, earliest));
    }
    return tables.isEmpty() ? earliest : from;
  }

  static IllegalArgumentException unreadable(
      KafkaConnection connection, String topic, KafkaException e) {
    {
      return new IllegalArgumentException(
          connection
              .explain(e)
              .orElse(
                  "cannot read the offsets of "
                      + connection.topicNoun()
                      + " '"
                      + topic
                      + "' in "
                      + connection.describe()
                      + ": "
                      + e.getMessage()),
          e);
    }
  }
}

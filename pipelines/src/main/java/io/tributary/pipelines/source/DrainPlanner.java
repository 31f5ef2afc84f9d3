package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
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
   * @param recorded next offset to read per partition, as the lakehouse recorded it; partitions
   *     missing start at the earliest offset still in Kafka
   * @throws IllegalArgumentException if the topic does not exist
   */
  public static List<PartitionRange> plan(
      KafkaConnection connection, String topic, Map<Integer, Long> recorded) {
    try (Consumer<byte[], byte[]> consumer = KafkaSettings.newConsumer(connection)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
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
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<PartitionRange> ranges = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        long from =
            Math.max(earliest.get(partition), recorded.getOrDefault(partition.partition(), 0L));
        long to = end.get(partition);
        if (from < to) {
          ranges.add(new PartitionRange(topic, partition.partition(), from, to));
        }
      }
      ranges.sort(java.util.Comparator.comparingInt(PartitionRange::partition));
      return ranges;
    } catch (KafkaException e) {
      throw new IllegalArgumentException(
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

package io.tributary.pipelines.source;

import io.tributary.kafka.connection.KafkaConnection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Consumer settings shared by the drain reader, the streaming reader and the planner. */
public final class KafkaSettings {
  private KafkaSettings() {}

  /**
   * A consumer of raw bytes that never commits on its own, connected the way {@code connection}
   * says. The connection's secret is resolved here, so call this only where the consumer is needed.
   */
  public static Consumer<byte[], byte[]> newConsumer(KafkaConnection connection) {
    return newConsumer(connection, Map.of());
  }

  /** As {@link #newConsumer(KafkaConnection)}, with some settings changed. */
  static Consumer<byte[], byte[]> newConsumer(
      KafkaConnection connection, Map<String, Object> changes) {
    Map<String, Object> config = tuning();
    config.putAll(changes);
    config.putAll(connection.clientSettings(KafkaConnection.Role.CONSUMER));
    return new KafkaConsumer<>(config);
  }

  static final String READ_COMMITTED = "read_committed";

  /** Throughput and timeout settings of every consumer, without connection settings. */
  static Map<String, Object> tuning() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Records of aborted or still open transactions are never read; end offsets are the last
    // stable offset, so a plan never waits on an open transaction.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, READ_COMMITTED);
    // Seeking to an offset retention deleted fails instead of jumping to the end of the partition
    // (Kafka's default, "latest"): the reader then counts the records lost.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    return config;
  }

  /**
   * The consumer group a dataset's streaming pipeline commits to, for lag monitoring and restarts.
   */
  public static String groupId(String dataset, String topic) {
    return "tributary-" + dataset + "-" + topic;
  }
}

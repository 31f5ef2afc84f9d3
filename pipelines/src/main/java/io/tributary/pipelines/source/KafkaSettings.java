package io.tributary.pipelines.source;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Consumer settings shared by the drain reader, the streaming reader and the planner. */
public final class KafkaSettings {
  private KafkaSettings() {}

  /** Settings of a consumer that reads raw bytes and never commits on its own. */
  public static Map<String, Object> consumer(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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

package io.tributary.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** End offsets of topics, from a Kafka broker, for the lag of each table behind its topic. */
final class KafkaLag implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** After the broker failed to answer in time, how long to answer at once without asking it. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  private final Admin admin;
  private final String bootstrapServers;
  private volatile Instant quietUntil = Instant.MIN;

  KafkaLag(String bootstrapServers) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-dashboard");
    admin = Admin.create(config);
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Per partition of {@code topic}, the offset after its last record.
   *
   * @throws Exception when the broker does not answer within a few seconds or has no such topic
   */
  Map<Integer, Long> endOffsets(String topic) throws Exception {
    // An unreachable broker would hold every health request for the timeout, once per topic.
    if (Instant.now().isBefore(quietUntil)) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer; asking again after " + quietUntil);
    }
    try {
      return ask(topic);
    } catch (TimeoutException e) {
      quietUntil = Instant.now().plus(RETRY_AFTER);
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer within " + TIMEOUT.toSeconds() + " s",
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        quietUntil = Instant.now().plus(RETRY_AFTER);
      }
      throw e;
    }
  }

  private Map<Integer, Long> ask(String topic) throws Exception {
    TopicDescription description =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .get(topic);
    Map<TopicPartition, OffsetSpec> request =
        description.partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    Map<Integer, Long> ends = new TreeMap<>();
    admin
        .listOffsets(request)
        .all()
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
    return ends;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}

package io.tributary.generators;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where a generator sends: a Kafka cluster reached at {@code bootstrapServers}. Checks the cluster
 * answers and the topic exists (creating it if needed) before anything is produced, so a wrong
 * address fails in seconds with a message that names it.
 */
public final class KafkaTarget {
  /** How long the up-front connection check waits for any broker to answer. */
  static final int CONNECT_TIMEOUT_SECONDS = 20;

  private final String bootstrapServers;
  private final Map<String, Object> clientSettings;

  /**
   * @param clientSettings extra client settings (security, timeouts) applied to both the admin
   *     client and the producer
   */
  public KafkaTarget(String bootstrapServers, Map<String, Object> clientSettings) {
    this.bootstrapServers = bootstrapServers;
    this.clientSettings = Map.copyOf(clientSettings);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Fails fast unless a broker answers, then creates the topic if it does not exist.
   *
   * @param partitions partition count for a topic that has to be created
   * @throws TargetException naming the address when no broker answers
   */
  public void prepareTopic(String topic, int partitions) {
    Properties props = new Properties();
    props.putAll(clientSettings);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, CONNECT_TIMEOUT_SECONDS * 1000);
    try (Admin admin = Admin.create(props)) {
      try {
        admin.describeCluster().nodes().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new TargetException(
            "cannot reach Kafka at "
                + bootstrapServers
                + ": no broker answered within "
                + CONNECT_TIMEOUT_SECONDS
                + " s. Is the broker running (./tributary kafka) and is the address right?",
            e);
      }
      Set<String> topics =
          admin.listTopics().names().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!topics.contains(topic)) {
        try {
          admin
              .createTopics(
                  java.util.List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
              .all()
              .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new TargetException(
                "cannot create topic '"
                    + topic
                    + "' on "
                    + bootstrapServers
                    + ": "
                    + e.getCause().getMessage(),
                e);
          }
        }
      }
      awaitLeaders(admin, topic);
    } catch (KafkaException e) {
      throw new TargetException(
          "cannot use Kafka at " + bootstrapServers + ": " + rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetException("interrupted while connecting to " + bootstrapServers, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new TargetException(
          "Kafka at " + bootstrapServers + " did not list its topics: " + rootMessage(e), e);
    }
  }

  /**
   * A new topic's partitions get leaders a moment after creation, and the broker serves them a
   * moment after its metadata says so. Producing before that makes the first batches fail with
   * NOT_LEADER_OR_FOLLOWER; an idempotent producer then retries them after later batches were
   * appended, and the broker rejects the retry as out of sequence (seen in our integration tests).
   * Listing offsets is answered by each partition's leader, so once that works for every partition
   * the topic is ready.
   */
  private void awaitLeaders(Admin admin, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS);
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .forEach(
                partition ->
                    latest.put(
                        new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        admin.listOffsets(latest).all().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        // Right after creation even the topic's description can be missing for a moment.
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw new TargetException(
              "topic '" + topic + "' on " + bootstrapServers + " is not ready: " + rootMessage(e),
              e);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * A producer tuned for throughput without giving up ordering or exactly-one delivery per send.
   */
  public KafkaProducer<byte[], byte[]> newProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Idempotence makes the producer's own retries invisible: a record reaches the log once per
    // send().
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.putAll(clientSettings);
    try {
      return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new TargetException(
          "cannot create a producer for " + bootstrapServers + ": " + rootMessage(e), e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The target cannot be used; the command prints the message and exits with status 1. */
  public static final class TargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

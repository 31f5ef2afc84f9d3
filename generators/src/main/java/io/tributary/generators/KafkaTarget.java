package io.tributary.generators;

import io.tributary.kafka.connection.KafkaConnection;
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
 * Where a generator sends: a Kafka cluster or an Event Hubs namespace ({@link KafkaConnection}).
 * Checks the cluster answers and the topic exists (creating it on plain Kafka if needed) before
 * anything is produced, so a wrong address or credential fails in seconds with a message that names
 * it.
 */
public final class KafkaTarget {
  /** How long the up-front connection check waits for any broker to answer. */
  static final int CONNECT_TIMEOUT_SECONDS = 20;

  private final KafkaConnection connection;

  public KafkaTarget(KafkaConnection connection) {
    this.connection = connection;
  }

  public String bootstrapServers() {
    return connection.bootstrapServers();
  }

  /** For messages: "Kafka at HOST:PORT" or "Event Hubs namespace NS". */
  public String describe() {
    return connection.describe();
  }

  /**
   * Fails fast unless a broker answers, then creates the topic if it does not exist. Event hubs are
   * never created here: their partition count is fixed at creation on the Standard tier, so that
   * belongs to whoever provisions the namespace.
   *
   * @param partitions partition count for a topic that has to be created
   * @throws TargetException naming the address when no broker answers
   */
  public void prepareTopic(String topic, int partitions) {
    try {
      connection.checkTopic(topic);
    } catch (IllegalArgumentException e) {
      throw new TargetException(e.getMessage(), null);
    }
    try (Admin admin = connection.newAdmin(CONNECT_TIMEOUT_SECONDS)) {
      try {
        connection.awaitCluster(admin, CONNECT_TIMEOUT_SECONDS);
      } catch (IllegalStateException e) {
        throw new TargetException(e.getMessage(), e.getCause());
      }
      Set<String> topics =
          admin.listTopics().names().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!topics.contains(topic) && connection.isEventHubs()) {
        throw new TargetException(
            "event hub '"
                + topic
                + "' not found in "
                + connection.describe()
                + ": create it first (Terraform, the Azure portal or az eventhubs eventhub"
                + " create); Tributary does not create event hubs",
            null);
      }
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
                    + connection.describe()
                    + ": "
                    + e.getCause().getMessage(),
                e);
          }
        }
      }
      awaitLeaders(admin, topic);
    } catch (KafkaException e) {
      throw new TargetException(
          connection
              .explain(e)
              .orElse("cannot use " + connection.describe() + ": " + rootMessage(e)),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetException("interrupted while connecting to " + connection.describe(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new TargetException(
          connection
              .explain(e)
              .orElse(connection.describe() + " did not list its topics: " + rootMessage(e)),
          e);
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
              "topic '"
                  + topic
                  + "' on "
                  + connection.describe()
                  + " is not ready: "
                  + rootMessage(e),
              e);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * A producer tuned for throughput without giving up ordering or exactly-one delivery per send.
   * Event Hubs settings (no compression, 1 MB requests) override the local-broker defaults.
   */
  public KafkaProducer<byte[], byte[]> newProducer() {
    Properties props = new Properties();
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
    props.putAll(connection.clientSettings(KafkaConnection.Role.PRODUCER));
    try {
      return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new TargetException(
          connection
              .explain(e)
              .orElse(
                  "cannot create a producer for " + connection.describe() + ": " + rootMessage(e)),
          e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** A message a user can act on for a failure while sending; never contains a secret. */
  public String explain(Throwable failure) {
    return connection.explain(failure).orElse(rootMessage(failure));
  }

  /** The target cannot be used; the command prints the message and exits with status 1. */
  public static final class TargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package io.tributary.kafka.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates a topic and waits until every partition has a leader.
 *
 * <p>CreateTopics returns once the controller committed the topic, which can be a moment before the
 * broker serves it; waiting for leaders spares callers a first produce that fails or retries.
 */
final class TopicCreator {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private TopicCreator() {}

  /** Creates {@code name}, or accepts an existing topic with the same number of partitions. */
  static void create(String bootstrapServers, String name, int partitions, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) timeout.toMillis()));
    try {
      boolean existed = createOrFindExisting(admin, name, partitions, deadline);
      awaitLeaders(admin, name, partitions, existed, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topic " + name + " on " + bootstrapServers + ": " + e.getMessage(), e);
    } finally {
      admin.close(CLOSE_TIMEOUT);
    }
  }

  private static boolean createOrFindExisting(
      Admin admin, String name, int partitions, Instant deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return true;
      }
      throw e;
    }
  }

  private static void awaitLeaders(
      Admin admin, String name, int partitions, boolean existed, Instant deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (true) {
      TopicDescription description = describe(admin, name, deadline);
      if (description != null) {
        int actual = description.partitions().size();
        if (existed && actual != partitions) {
          throw new IllegalStateException(
              "topic "
                  + name
                  + " already exists with "
                  + actual
                  + " partitions, not "
                  + partitions);
        }
        if (actual == partitions
            && description.partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException(
            "partitions of topic " + name + " still have no leader: " + description);
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }

  /** The topic's description, or null while the broker does not know the topic yet. */
  private static TopicDescription describe(Admin admin, String name, Instant deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return admin
          .describeTopics(List.of(name))
          .allTopicNames()
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
          .get(name);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  private static long remainingMillis(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}

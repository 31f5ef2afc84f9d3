package io.tributary.pipelines.testing;

import io.tributary.kafka.local.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (its own JVM, see {@link LocalKafka}) for all tests of a class, in a
 * temporary directory removed afterwards:
 *
 * <pre>{@code @RegisterExtension static final Broker broker = Broker.plaintext();}</pre>
 *
 * <p>It starts before the class's {@code @BeforeAll} methods run and stops after its
 * {@code @AfterAll} methods.
 */
public final class Broker implements BeforeAllCallback, AfterAllCallback {
  private final boolean eventHubsMode;
  private Path dataDir;
  private LocalKafka kafka;

  private Broker(boolean eventHubsMode) {
    this.eventHubsMode = eventHubsMode;
  }

  /** A plaintext broker. */
  public static Broker plaintext() {
    return new Broker(false);
  }

  /** A broker that also runs the local Azure Event Hubs stand-in (SASL_SSL, connection strings). */
  public static Broker eventHubsMode() {
    return new Broker(true);
  }

  /** The running broker. */
  public LocalKafka kafka() {
    if (kafka == null) {
      throw new IllegalStateException("the broker starts with the test class (@RegisterExtension)");
    }
    return kafka;
  }

  public String bootstrapServers() {
    return kafka().bootstrapServers();
  }

  /** Deletes {@code topic} and creates it again, empty, once the deletion is done. */
  public void recreateTopic(String topic, int partitions) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.deleteTopics(List.of(topic)).all().get();
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        kafka().createTopic(topic, partitions);
        return;
      } catch (RuntimeException e) {
        // the deletion is still under way
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(200_000_000L);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("tributary-broker-");
    kafka = eventHubsMode ? LocalKafka.startEventHubsMode(dataDir) : LocalKafka.start(dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      kafka = null;
      if (dataDir != null) {
        try (Stream<Path> paths = Files.walk(dataDir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(Broker::delete);
        }
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the broker's data " + path, e);
    }
  }
}

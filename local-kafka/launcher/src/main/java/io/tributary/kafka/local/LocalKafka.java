package io.tributary.kafka.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A single-node Kafka broker in a child JVM, for integration tests and local runs.
 *
 * <p>The broker runs out of process because its jars bring Scala 2.13, which must not meet the
 * Scala 2.12 of Spark on a test classpath. It is run from the broker module's build output, located
 * through {@value #BROKER_DIR_PROPERTY} or by walking up from the working directory to {@code
 * local-kafka/broker}.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.start(tempDir)) {
 *   kafka.createTopic("events", 4);
 *   ... produce to kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>Not for concurrent use by several threads beyond what {@code synchronized} gives.
 */
public final class LocalKafka implements AutoCloseable {

  /** System property naming the broker module directory (local-kafka/broker). */
  public static final String BROKER_DIR_PROPERTY = "tributary.kafka.broker.dir";

  /** Main class of the broker module. */
  public static final String MAIN_CLASS = "io.tributary.kafka.broker.KafkaBroker";

  /** Start of the one stdout line the broker prints once clients can connect. */
  public static final String READY_PREFIX = "Kafka broker ready at ";

  /** The broker listens on loopback only: tests and local runs never need more. */
  public static final String HOST = "127.0.0.1";

  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final Path brokerDir;
  private final Path dataDir;
  private int port;
  private BrokerProcess broker;
  private ProcessHandle lastProcess;

  private LocalKafka(Path brokerDir, Path dataDir, int port) {
    this.brokerDir = brokerDir;
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Starts a broker on a free port that keeps its data in {@code dataDir}. */
  public static LocalKafka start(Path dataDir) {
    return start(dataDir, 0);
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) that keeps its data in {@code dataDir}.
   */
  public static LocalKafka start(Path dataDir, int port) {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
    }
    LocalKafka kafka = new LocalKafka(brokerDir(), dataDir.toAbsolutePath().normalize(), port);
    kafka.launch();
    return kafka;
  }

  /**
   * The broker module directory: {@value #BROKER_DIR_PROPERTY} if set, else {@code
   * local-kafka/broker} found walking up from the working directory.
   *
   * @throws IllegalStateException if the broker has not been built
   */
  public static Path brokerDir() {
    return BrokerBuild.locate(System.getProperty(BROKER_DIR_PROPERTY), Path.of(""));
  }

  /** The command that runs the broker: what {@link #start} executes, for shells and tools. */
  public static List<String> command(int port, Path dataDir) {
    return command(brokerDir(), port, dataDir);
  }

  /** The command that runs the broker built in {@code brokerDir}. */
  public static List<String> command(Path brokerDir, int port, Path dataDir) {
    return List.of(
        javaExecutable(),
        "-cp",
        BrokerBuild.classpath(brokerDir),
        MAIN_CLASS,
        "--port=" + port,
        "--dataDir=" + dataDir.toAbsolutePath().normalize(),
        "--host=" + HOST,
        // Our stdin pipe closes when this JVM dies, even by SIGKILL: the broker then stops too.
        "--stopWhenStdinCloses");
  }

  /** {@code 127.0.0.1:PORT}, for the bootstrap.servers of clients. */
  public synchronized String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The broker's client port (the chosen one when started with port 0). */
  public synchronized int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The current broker process, or the last one once stopped; for liveness checks. */
  public synchronized ProcessHandle process() {
    return lastProcess;
  }

  /** Creates a topic with replication factor 1 and waits until all its partitions have leaders. */
  public void createTopic(String name, int partitions) {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    TopicCreator.create(bootstrapServers(), name, partitions, TOPIC_TIMEOUT);
  }

  /** Stops the broker cleanly and starts it again on the same port with the same data. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** Stops the broker: SIGTERM, up to 30 s for a clean shutdown, then SIGKILL. Idempotent. */
  public synchronized void stop() {
    if (broker != null) {
      broker.stop(STOP_TIMEOUT);
      broker = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void launch() {
    broker = BrokerProcess.start(command(brokerDir, port, dataDir), READY_TIMEOUT, STOP_TIMEOUT);
    lastProcess = broker.handle();
    port = broker.port();
  }

  private static String javaExecutable() {
    // The JVM running us, so the broker gets the same Java version the build was tested with.
    String binary = System.getProperty("os.name").startsWith("Windows") ? "java.exe" : "java";
    return Path.of(System.getProperty("java.home"), "bin", binary).toString();
  }
}

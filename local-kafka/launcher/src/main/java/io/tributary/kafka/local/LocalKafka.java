package io.tributary.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

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
 * <p>{@link #startEventHubsMode} also opens the broker's stand-in for Azure Event Hubs' Kafka
 * endpoint (SASL_SSL, SASL PLAIN with a connection string); topics are then not auto-created, and
 * {@link #createTopic} still works over the plain listener:
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.startEventHubsMode(tempDir)) {
 *   kafka.createTopic("events", 4);
 *   ... a client with kafka.eventHubsClientConfig() ...
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

  /** Start of the stdout line that announces the Event Hubs stand-in, after the ready line. */
  public static final String EVENT_HUBS_READY_PREFIX = "Event Hubs stand-in ready at ";

  /** SASL PLAIN username of Event Hubs' Kafka endpoint: the password is a connection string. */
  public static final String EVENT_HUBS_USERNAME = "$ConnectionString";

  /** Where the broker keeps the stand-in's files, under its data directory. */
  static final String EVENT_HUBS_DIR = "eventhubs";

  static final String CONNECTION_STRING_FILE = "connection-string";
  static final String TRUST_STORE_FILE = "ca.pem";

  /** The broker listens on loopback only: tests and local runs never need more. */
  public static final String HOST = "127.0.0.1";

  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final Path brokerDir;
  private final Path dataDir;
  private final boolean eventHubsMode;
  private int port;

  /** The stand-in's port once announced; before the first start -1, the broker's default. */
  private int eventHubsPort;

  private BrokerProcess broker;
  private ProcessHandle lastProcess;

  private LocalKafka(Path brokerDir, Path dataDir, int port, boolean eventHubsMode) {
    this.brokerDir = brokerDir;
    this.dataDir = dataDir;
    this.port = port;
    this.eventHubsMode = eventHubsMode;
    this.eventHubsPort = eventHubsMode && port == 0 ? 0 : -1;
  }

  /** Starts a broker on a free port that keeps its data in {@code dataDir}. */
  public static LocalKafka start(Path dataDir) {
    return start(dataDir, 0);
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) that keeps its data in {@code dataDir}.
   */
  public static LocalKafka start(Path dataDir, int port) {
    return start(dataDir, port, false);
  }

  /**
   * Starts a broker on a free port that is also a stand-in for Azure Event Hubs' Kafka endpoint, on
   * a second free port: see {@link #eventHubsClientConfig()}. The key and certificates are kept in
   * {@code dataDir}, so a {@link #restart()} keeps them.
   */
  public static LocalKafka startEventHubsMode(Path dataDir) {
    return startEventHubsMode(dataDir, 0);
  }

  /**
   * As {@link #startEventHubsMode(Path)}, on {@code port} (0 picks a free one); the stand-in then
   * listens on {@code port + 1}, or on a free port too when {@code port} is 0.
   */
  public static LocalKafka startEventHubsMode(Path dataDir, int port) {
    return start(dataDir, port, true);
  }

  private static LocalKafka start(Path dataDir, int port, boolean eventHubsMode) {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
    }
    LocalKafka kafka =
        new LocalKafka(brokerDir(), dataDir.toAbsolutePath().normalize(), port, eventHubsMode);
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
    return command(brokerDir, port, dataDir, false, -1);
  }

  /**
   * The command with {@code --eventHubsMode} if asked; {@code eventHubsPort} -1 leaves the
   * stand-in's port to the broker (port + 1).
   */
  static List<String> command(
      Path brokerDir, int port, Path dataDir, boolean eventHubsMode, int eventHubsPort) {
    List<String> command =
        new ArrayList<>(
            List.of(
                javaExecutable(),
                "-cp",
                BrokerBuild.classpath(brokerDir),
                MAIN_CLASS,
                "--port=" + port,
                "--dataDir=" + dataDir.toAbsolutePath().normalize(),
                "--host=" + HOST,
                // Our stdin pipe closes when this JVM dies, even by SIGKILL: the broker then stops
                // too.
                "--stopWhenStdinCloses"));
    if (eventHubsMode) {
      command.add("--eventHubsMode");
      if (eventHubsPort >= 0) {
        command.add("--eventHubsPort=" + eventHubsPort);
      }
    }
    return List.copyOf(command);
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

  /** Whether this broker was started as an Event Hubs stand-in. */
  public boolean eventHubsMode() {
    return eventHubsMode;
  }

  /** {@code 127.0.0.1:PORT} of the Event Hubs stand-in's SASL_SSL listener. */
  public synchronized String eventHubsBootstrapServers() {
    requireEventHubsMode();
    return HOST + ":" + eventHubsPort;
  }

  /** The stand-in's port (the chosen one when it was picked freely). */
  public synchronized int eventHubsPort() {
    requireEventHubsMode();
    return eventHubsPort;
  }

  /**
   * The file holding the stand-in's connection string, for {@code
   * --eventHubsConnectionString=file:PATH}. Readable by its owner only.
   */
  public Path connectionStringFile() {
    requireEventHubsMode();
    return dataDir.resolve(EVENT_HUBS_DIR).resolve(CONNECTION_STRING_FILE);
  }

  /**
   * The CA certificate (PEM) that signed the stand-in's server certificate: what clients trust,
   * with {@code ssl.truststore.type=PEM} and {@code ssl.truststore.location}.
   */
  public Path trustStore() {
    requireEventHubsMode();
    return dataDir.resolve(EVENT_HUBS_DIR).resolve(TRUST_STORE_FILE);
  }

  /**
   * The stand-in's connection string, {@code
   * Endpoint=sb://127.0.0.1:PORT/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=KEY}.
   * A secret in general, a local test key here; do not log it anyway.
   */
  public String connectionString() {
    Path file = connectionStringFile();
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Event Hubs connection string " + file, e);
    }
  }

  /** Every setting a Kafka client needs to reach the stand-in with its connection string. */
  public Map<String, Object> eventHubsClientConfig() {
    return eventHubsClientConfig(connectionString());
  }

  /**
   * The settings a Kafka client needs to reach the stand-in as Event Hubs clients do, presenting
   * {@code connectionString} as password (tests pass a wrong one to see it refused): SASL_SSL, SASL
   * PLAIN with the username {@value #EVENT_HUBS_USERNAME}, and the stand-in's CA as a PEM trust
   * store. TLS hostname verification stays on: the certificate names 127.0.0.1.
   */
  public Map<String, Object> eventHubsClientConfig(String connectionString) {
    return Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        eventHubsBootstrapServers(),
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        "SASL_SSL",
        SaslConfigs.SASL_MECHANISM,
        "PLAIN",
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + EVENT_HUBS_USERNAME
            + "\" password=\""
            + connectionString
            + "\";",
        SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
        "PEM",
        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
        trustStore().toString());
  }

  /** The current broker process, or the last one once stopped; for liveness checks. */
  public synchronized ProcessHandle process() {
    return lastProcess;
  }

  /**
   * Creates a topic with replication factor 1 and waits until all its partitions have leaders. Uses
   * the plain listener, also in Event Hubs mode (as an event hub is made in the portal, not by the
   * client).
   */
  public void createTopic(String name, int partitions) {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    TopicCreator.create(bootstrapServers(), name, partitions, TOPIC_TIMEOUT);
  }

  /**
   * Stops the broker cleanly and starts it again on the same port with the same data; in Event Hubs
   * mode on the same stand-in port, with the same key and certificates.
   */
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
    broker =
        BrokerProcess.start(
            command(brokerDir, port, dataDir, eventHubsMode, eventHubsPort),
            eventHubsMode,
            READY_TIMEOUT,
            STOP_TIMEOUT);
    lastProcess = broker.handle();
    port = broker.port();
    if (eventHubsMode) {
      eventHubsPort = broker.eventHubsPort();
    }
  }

  private void requireEventHubsMode() {
    if (!eventHubsMode) {
      throw new IllegalStateException(
          "this broker was not started in Event Hubs mode; use LocalKafka.startEventHubsMode");
    }
  }

  private static String javaExecutable() {
    // The JVM running us, so the broker gets the same Java version the build was tested with.
    String binary = System.getProperty("os.name").startsWith("Windows") ? "java.exe" : "java";
    return Path.of(System.getProperty("java.home"), "bin", binary).toString();
  }
}

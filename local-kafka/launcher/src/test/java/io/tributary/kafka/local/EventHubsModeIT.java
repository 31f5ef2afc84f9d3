package io.tributary.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker's Event Hubs stand-in, seen by real Kafka clients over SASL_SSL. One broker for the
 * class: starting one costs seconds, and no test here leaves state another depends on.
 */
class EventHubsModeIT {

  private static final int PARTITIONS = 2;
  private static final int RECORDS = 200;
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  /** How fast a refused client must give up: a refused login is final, not retried. */
  private static final Duration FAILS_WITHIN = Duration.ofSeconds(10);

  @TempDir static Path dataDir;
  private static LocalKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.startEventHubsMode(dataDir);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theConnectionStringPointsAtTheSaslSslListener() {
    assertThat(kafka.connectionString())
        .startsWith("Endpoint=sb://" + kafka.eventHubsBootstrapServers() + "/;")
        .contains(";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=");
    assertThat(kafka.eventHubsPort()).isNotEqualTo(kafka.port());
    assertThat(kafka.trustStore()).isRegularFile();
  }

  @Test
  void recordsRoundTripOverSaslSslAndMatchThePlainListener() throws Exception {
    String topic = "round-trip";
    kafka.createTopic(topic, PARTITIONS);

    produce(kafka.eventHubsClientConfig(), topic);

    assertThat(readAll(kafka.eventHubsClientConfig(), topic))
        .containsExactlyInAnyOrderElementsOf(expectedRecords());
    assertThat(readAll(plaintext(), topic)).containsExactlyInAnyOrderElementsOf(expectedRecords());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"wrong key", "wrong key name", "wrong username", "not a connection string"})
  void aWrongCredentialIsRefusedWithinSeconds(String mistake) {
    Map<String, Object> config = new HashMap<>(kafka.eventHubsClientConfig(wrong(mistake)));
    if (mistake.equals("wrong username")) {
      config.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          ((String) config.get(SaslConfigs.SASL_JAAS_CONFIG))
              .replace(LocalKafka.EVENT_HUBS_USERNAME, "RootManageSharedAccessKey"));
    }
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLIENT_TIMEOUT.toMillis());
    Instant start = Instant.now();

    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessage("Authentication failed: Invalid username or password");
    }
    assertThat(Duration.between(start, Instant.now())).isLessThan(FAILS_WITHIN);
  }

  @Test
  void aProducerAndAConsumerWithAWrongKeySeeTheAuthenticationFailure() {
    Map<String, Object> config = kafka.eventHubsClientConfig(wrong("wrong key"));
    kafka.createTopic("refused", PARTITIONS);
    Instant start = Instant.now();

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("refused", "k", "v")).get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessage("Authentication failed: Invalid username or password");
    }
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition("refused", 0)));
      assertThatThrownBy(() -> consumer.poll(CLIENT_TIMEOUT))
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessage("Authentication failed: Invalid username or password");
    }
    assertThat(Duration.between(start, Instant.now())).isLessThan(FAILS_WITHIN.multipliedBy(2));
  }

  @Test
  void aClientThatDoesNotTrustTheCaFailsTheTlsHandshake() {
    Map<String, Object> config = new HashMap<>(kafka.eventHubsClientConfig());
    // Back to the JVM's own trust store, which does not know the stand-in's local CA.
    config.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
    config.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
    Instant start = Instant.now();

    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SslAuthenticationException.class)
          .hasMessage("SSL handshake failed")
          .cause()
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("PKIX path building failed");
    }
    assertThat(Duration.between(start, Instant.now())).isLessThan(FAILS_WITHIN);
  }

  @Test
  void anUnknownEventHubIsAnErrorAndIsNotCreated() throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.eventHubsClientConfig());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("no-such-hub", "k", "v")).get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class)
          .hasMessage("Topic no-such-hub not present in metadata after 3000 ms.");
    }
    try (Admin admin = Admin.create(plaintext())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .doesNotContain("no-such-hub");
    }
  }

  @Test
  void aRestartKeepsTheKeyTheCertificateAndThePort() throws Exception {
    Map<String, Object> before = kafka.eventHubsClientConfig();
    String connectionString = kafka.connectionString();
    byte[] caCert = Files.readAllBytes(kafka.trustStore());
    int eventHubsPort = kafka.eventHubsPort();
    String topic = "restart";
    kafka.createTopic(topic, PARTITIONS);
    produce(before, topic);

    kafka.restart();

    assertThat(kafka.eventHubsPort()).isEqualTo(eventHubsPort);
    assertThat(kafka.connectionString()).isEqualTo(connectionString);
    assertThat(Files.readAllBytes(kafka.trustStore())).isEqualTo(caCert);
    // A client set up before the restart still gets in and finds its records.
    assertThat(readAll(before, topic)).containsExactlyInAnyOrderElementsOf(expectedRecords());
  }

  @Test
  void theConnectionStringFileIsReadableByItsOwnerOnly() throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(kafka.connectionStringFile())))
          .isEqualTo("rw-------");
    }
  }

  /** The stand-in's connection string with one {@code mistake} in it. */
  private static String wrong(String mistake) {
    String right = kafka.connectionString();
    return switch (mistake) {
      case "wrong key" ->
          right.replaceAll("SharedAccessKey=[^;]+", "SharedAccessKey=bm90IHRoZSBrZXk=");
      case "wrong key name" -> right.replace("RootManageSharedAccessKey", "SendOnly");
      case "not a connection string" -> right.replaceAll("Endpoint=[^;]+;", "");
      case "wrong username" -> right; // the username is changed by the caller
      default -> throw new IllegalArgumentException(mistake);
    };
  }

  private static Map<String, Object> plaintext() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
  }

  private static List<String> expectedRecords() {
    return IntStream.range(0, RECORDS).mapToObj(i -> "key-" + i + "=value-" + i).toList();
  }

  private static void produce(Map<String, Object> connection, String topic) throws Exception {
    Map<String, Object> config = new HashMap<>(connection);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
      }
      producer.flush();
      for (Future<RecordMetadata> send : sends) {
        send.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Every record of every partition, read from the start up to the end offsets seen on entry. */
  private static List<String> readAll(Map<String, Object> connection, String topic) {
    Map<String, Object> config = new HashMap<>(connection);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, CLIENT_TIMEOUT).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      assertThat(partitions).hasSize(PARTITIONS);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CLIENT_TIMEOUT);
      List<String> records = new ArrayList<>();
      Instant deadline = Instant.now().plus(CLIENT_TIMEOUT);
      while (!end.entrySet().stream()
          .allMatch(e -> consumer.position(e.getKey(), CLIENT_TIMEOUT) >= e.getValue())) {
        assertThat(Instant.now()).as("still reading %s up to %s", topic, end).isBefore(deadline);
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          records.add(record.key() + "=" + record.value());
        }
      }
      return records;
    }
  }
}

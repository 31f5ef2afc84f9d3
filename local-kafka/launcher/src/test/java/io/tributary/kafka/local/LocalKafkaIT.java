package io.tributary.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real broker as a child process; needs local-kafka/broker built first. */
class LocalKafkaIT {

  private static final String TOPIC = "events";
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 1000;
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void producesAndConsumesAThousandRecords() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(dataDir)) {
      kafka.createTopic(TOPIC, PARTITIONS);

      produce(kafka, TOPIC);

      assertThat(readAll(kafka, TOPIC)).containsExactlyInAnyOrderElementsOf(expectedRecords());
    }
  }

  @Test
  void recordsSurviveARestart() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(dataDir)) {
      kafka.createTopic(TOPIC, PARTITIONS);
      produce(kafka, TOPIC);
      int port = kafka.port();
      ProcessHandle first = kafka.process();

      kafka.restart();

      assertThat(first.isAlive()).isFalse();
      assertThat(kafka.process().pid()).isNotEqualTo(first.pid());
      assertThat(kafka.port()).isEqualTo(port);
      assertThat(readAll(kafka, TOPIC)).containsExactlyInAnyOrderElementsOf(expectedRecords());
      // Asking again for the same topic is harmless, so tests may create topics unconditionally.
      kafka.createTopic(TOPIC, PARTITIONS);
    }
  }

  @Test
  void closeEndsTheProcessAndFreesThePort() {
    LocalKafka kafka = LocalKafka.start(dataDir);
    ProcessHandle process = kafka.process();
    int port = kafka.port();
    assertThat(process.isAlive()).isTrue();

    kafka.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(ProcessHandle.of(process.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(awaitPortFree(port, Duration.ofSeconds(10))).as("port %d is free", port).isTrue();
  }

  @Test
  void aBrokerDoesNotOutliveAnOwnerKilledWithSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process owner =
        new ProcessBuilder(
                java,
                "-D" + LocalKafka.BROKER_DIR_PROPERTY + "=" + LocalKafka.brokerDir(),
                "-cp",
                System.getProperty("java.class.path"),
                BrokerOwner.class.getName(),
                dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String line =
          new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream()))
              .readLine();
      assertThat(line).startsWith("broker pid ");
      ProcessHandle broker = ProcessHandle.of(Long.parseLong(line.substring(11))).orElseThrow();

      owner.destroyForcibly(); // SIGKILL: no shutdown hook runs in the owner

      assertThat(broker.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    } finally {
      owner.destroyForcibly();
    }
  }

  @Test
  void busyPortFailsWithAMessageNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName(LocalKafka.HOST))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> LocalKafka.start(dataDir, port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with status 1 before it was ready")
          .hasMessageContaining("port " + port + " on 127.0.0.1 is already in use");
    }
  }

  private static List<String> expectedRecords() {
    return IntStream.range(0, RECORDS).mapToObj(i -> "key-" + i + "=value-" + i).toList();
  }

  private static void produce(LocalKafka kafka, String topic) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
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
  private static List<String> readAll(LocalKafka kafka, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
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

  private static boolean awaitPortFree(int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(LocalKafka.HOST, port));
        return true;
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) {
          return false;
        }
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
    }
  }
}

package io.tributary.generators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.contracts.Contract;
import io.tributary.contracts.EventParser;
import io.tributary.contracts.ParseOutcome;
import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import io.tributary.contracts.ParseOutcome.Valid;
import io.tributary.kafka.local.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator against a real broker: what the summary says is exactly what lands in the topic.
 */
class GenerateIT {
  @TempDir static Path kafkaDir;
  static LocalKafka kafka;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private JsonNode generate(String... args) throws IOException {
    out.reset();
    err.reset();
    int status =
        Generate.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).as("stdout is exactly the summary line").hasSize(1);
    return new ObjectMapper().readTree(lines[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void theTopicHoldsExactlyWhatTheSummarySays(String dataset) throws IOException {
    String topic = "summary-" + dataset;
    JsonNode summary =
        generate(
            "--dataset=" + dataset,
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--topic=" + topic,
            "--count=20000",
            "--seed=7",
            "--badRatio=0.02",
            "--duplicateRatio=0.02",
            "--lateRatio=0.02");

    assertThat(summary.get("dataset").asText()).isEqualTo(dataset);
    assertThat(summary.get("sent").asLong()).isEqualTo(20_000);
    assertThat(
            summary.get("valid").asLong()
                + summary.get("malformed").asLong()
                + summary.get("invalid").asLong()
                + summary.get("duplicates").asLong())
        .isEqualTo(20_000);
    assertThat(summary.get("late").asLong()).isPositive().isLessThan(summary.get("valid").asLong());

    List<ConsumerRecord<byte[], byte[]>> records =
        TopicContents.readAll(kafka.bootstrapServers(), topic);
    assertThat(records).hasSize(20_000);
    EventParser parser = Contract.forDataset(dataset).parser();
    long malformed = 0;
    long invalid = 0;
    long validRecords = 0;
    Set<Object> eventIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      ParseOutcome outcome = parser.parse(record.value());
      if (outcome instanceof Rejected rejected) {
        if (rejected.stage() == Stage.PARSE) {
          malformed++;
        } else {
          invalid++;
        }
      } else {
        validRecords++;
        eventIds.add(((Valid) outcome).get("event_id"));
      }
    }
    assertThat(malformed).isEqualTo(summary.get("malformed").asLong());
    assertThat(invalid).isEqualTo(summary.get("invalid").asLong());
    assertThat(eventIds).hasSize(summary.get("valid").asInt());
    assertThat(validRecords - eventIds.size()).isEqualTo(summary.get("duplicates").asLong());
  }

  @Test
  void theSameSeedPutsTheSameRecordsInTheSamePartitionsInTheSameOrder() throws IOException {
    for (String topic : List.of("seeded-a", "seeded-b")) {
      generate(
          "--dataset=transactions",
          "--bootstrapServers=" + kafka.bootstrapServers(),
          "--topic=" + topic,
          "--count=5000",
          "--seed=99",
          "--badRatio=0.05",
          "--duplicateRatio=0.05");
    }
    List<ConsumerRecord<byte[], byte[]>> a =
        TopicContents.readAll(kafka.bootstrapServers(), "seeded-a");
    List<ConsumerRecord<byte[], byte[]>> b =
        TopicContents.readAll(kafka.bootstrapServers(), "seeded-b");

    assertThat(a).hasSize(5000);
    assertThat(b).hasSize(5000);
    assertThat(a.stream().map(GenerateIT::describe).sorted().toList())
        .isEqualTo(b.stream().map(GenerateIT::describe).sorted().toList());
  }

  @Test
  void aCountedRunWithoutSeedEndsItsEventClockNowNotInTheFuture() throws IOException {
    // 2,000 weather events cover 500 s of event time at the nominal 4 events/s.
    generate(
        "--dataset=weather",
        "--bootstrapServers=" + kafka.bootstrapServers(),
        "--topic=unseeded",
        "--count=2000");

    EventParser parser = Contract.forDataset("weather").parser();
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicContents.readAll(kafka.bootstrapServers(), "unseeded");
    assertThat(records).hasSize(2000);
    for (ConsumerRecord<byte[], byte[]> record : records) {
      java.time.Instant eventTime =
          (java.time.Instant) ((Valid) parser.parse(record.value())).get("event_time");
      assertThat(eventTime)
          .isBefore(java.time.Instant.ofEpochMilli(record.timestamp()).plusSeconds(1));
      assertThat(eventTime)
          .isAfter(java.time.Instant.ofEpochMilli(record.timestamp()).minusSeconds(600));
    }
  }

  private static String describe(ConsumerRecord<byte[], byte[]> record) {
    return record.partition()
        + "/"
        + String.format("%08d", record.offset())
        + "/"
        + Arrays.toString(record.key())
        + "/"
        + Arrays.toString(record.value());
  }

  @Test
  void anInterruptedPacedRunStopsInsteadOfSendingAsFastAsItCan() throws Exception {
    String topic = "interrupted";
    Thread run =
        new Thread(
            () ->
                Generate.run(
                    new String[] {
                      "--dataset=weather",
                      "--bootstrapServers=" + kafka.bootstrapServers(),
                      "--topic=" + topic,
                      "--rate=20"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    run.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (TopicContents.readAll(kafka.bootstrapServers(), topic).size() < 5) {
      assertThat(System.nanoTime()).as("5 records sent within 30 s").isLessThan(deadline);
      assertThat(run.isAlive()).as(err.toString(StandardCharsets.UTF_8)).isTrue();
    }
    run.interrupt();
    run.join(10_000);

    assertThat(run.isAlive()).as("the run ended after the interrupt").isFalse();
    assertThat(TopicContents.readAll(kafka.bootstrapServers(), topic).size())
        .as("records in the topic: about 20 a second until the interrupt, not a burst after it")
        .isBetween(1, 200);
  }

  @Test
  void anUnreachableBootstrapServerFailsWithinThirtySecondsNamingTheAddress() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long started = System.nanoTime();

    int status =
        Generate.run(
            new String[] {
              "--dataset=weather", "--bootstrapServers=127.0.0.1:" + closedPort, "--count=10"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "cannot reach Kafka at 127.0.0.1:" + closedPort + ": no broker answered within 20 s");
    assertThat(seconds).isLessThan(30);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}

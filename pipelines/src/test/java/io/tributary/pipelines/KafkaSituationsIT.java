package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.contracts.Contract;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.silver.SilverSchema;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.Commands;
import io.tributary.pipelines.testing.Commands.Outcome;
import io.tributary.pipelines.testing.RunnerUnderTest;
import io.tributary.pipelines.testing.StreamingRun;
import io.tributary.pipelines.testing.WeatherRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka situations that must lose no record, against a real broker, through {@code ./tributary
 * run}'s entry point on the runner under test: transactional producers, retention, a recreated
 * topic, idle partitions and partitions added while a stream runs.
 */
class KafkaSituationsIT {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path lakehouse;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @Test
  void aTransactionalProducersCommittedRecordsAreReadOnceAndItsAbortedOnesNever() throws Exception {
    broker.kafka().createTopic("tx-weather", 2);
    Map<String, Object> config = WeatherRecords.producerSettings(broker.bootstrapServers());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tributary-test");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.initTransactions();
      transaction(producer, 0, 6); // committed
      producer.beginTransaction();
      for (long n = 100; n < 104; n++) {
        producer.send(record(n));
      }
      producer.flush();
      producer.abortTransaction();
      transaction(producer, 200, 5); // committed
    }
    Set<String> committed = new TreeSet<>();
    LongStream.range(0, 6).forEach(n -> committed.add(WeatherRecords.id(n)));
    LongStream.range(200, 205).forEach(n -> committed.add(WeatherRecords.id(n)));

    JsonNode first = drain("tx-weather").json();

    assertThat(first.get("read").asLong()).isEqualTo(11);
    // Four aborted records, and a marker per transaction and partition.
    assertThat(first.at("/datasets/weather/offsets_without_record").asLong()).isEqualTo(4 + 6);
    assertThat(eventIds("silver/weather")).isEqualTo(committed);
    assertThat(table("bronze/weather")).hasSize(11);
    assertThat(table("quarantine/weather")).isEmpty();

    JsonNode second = drain("tx-weather").json();
    assertThat(second.get("read").asLong()).as("the markers' gaps are closed").isZero();
    assertThat(second.get("cycles").asLong()).isZero();
    assertThat(table("bronze/weather")).hasSize(11);
  }

  @Test
  void recordsRetentionDeletedBeforeADrainAreCountedOnceAndTheDrainGoesOn() throws Exception {
    broker.kafka().createTopic("retained-weather", 1);
    WeatherRecords.send(broker.bootstrapServers(), "retained-weather", 0, events(0, 20));
    assertThat(drain("retained-weather").json().get("read").asLong()).isEqualTo(20);

    WeatherRecords.send(broker.bootstrapServers(), "retained-weather", 0, events(20, 30));
    try (Admin admin = admin()) {
      // What retention does: the partition's log now starts at offset 35.
      admin
          .deleteRecords(
              Map.of(new TopicPartition("retained-weather", 0), RecordsToDelete.beforeOffset(35)))
          .all()
          .get();
    }

    JsonNode afterRetention = drain("retained-weather").json();
    assertThat(afterRetention.get("read").asLong()).isEqualTo(15);
    assertThat(afterRetention.at("/datasets/weather/lost_to_retention").asLong()).isEqualTo(15);
    assertThat(table("bronze/weather")).hasSize(35);
    assertThat(table("silver/weather")).hasSize(35);

    JsonNode again = drain("retained-weather").json();
    assertThat(again.get("read").asLong()).isZero();
    assertThat(again.at("/datasets/weather/lost_to_retention").isMissingNode())
        .as("the lost records are counted once, not on every run: " + again)
        .isTrue();
  }

  @Test
  void aRecreatedTopicStopsTheRunUntilItIsStartedAfresh() throws Exception {
    broker.kafka().createTopic("recreated-weather", 1);
    WeatherRecords.send(broker.bootstrapServers(), "recreated-weather", 0, events(0, 20));
    drain("recreated-weather");

    broker.recreateTopic("recreated-weather", 1);
    // More records than the old topic had: only its id tells the new topic from the old one.
    WeatherRecords.send(broker.bootstrapServers(), "recreated-weather", 0, events(1000, 30));

    Outcome stopped = Commands.call(Run::run, drainArgs("recreated-weather"));
    assertThat(stopped.status()).as(stopped.err()).isEqualTo(2);
    assertThat(stopped.err())
        .contains("topic 'recreated-weather' was deleted and created again")
        .contains("the topic id changed")
        .contains("--startTopicAfresh=recreated-weather");
    assertThat(table("bronze/weather")).hasSize(20);

    List<String> streaming = new ArrayList<>(runArgs("recreated-weather"));
    StreamingRun stream = StreamingRun.start(streaming);
    assertThat(stream.status().get()).as(stream.errors()).isEqualTo(2);
    assertThat(stream.errors()).contains("--startTopicAfresh=recreated-weather");

    List<String> afresh = new ArrayList<>(drainArgs("recreated-weather"));
    afresh.add("--startTopicAfresh=recreated-weather");
    Outcome restarted = Commands.succeed(Run::run, afresh);
    assertThat(restarted.json().get("read").asLong()).isEqualTo(30);
    assertThat(table("bronze/weather")).hasSize(50);
    assertThat(table("silver/weather")).hasSize(50);

    // The flag left in changes nothing once the tables follow the new topic.
    assertThat(Commands.succeed(Run::run, afresh).json().get("read").asLong()).isZero();
    assertThat(table("silver/weather")).hasSize(50);
  }

  @Test
  void idlePartitionsHoldNothingBackAndPartitionsAddedWhileStreamingAreRead() throws Exception {
    broker.kafka().createTopic("idle-weather", 4);
    StreamingRun run = StreamingRun.start(runArgs("idle-weather"));
    try {
      // Two cities, one partition of four: the other three never get a record.
      List<String> twoCities = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        twoCities.add(
            WeatherRecords.json(
                WeatherRecords.id(i), START.plusSeconds(10L * i), i % 2 == 0 ? "Oslo" : "Lima"));
      }
      WeatherRecords.send(broker.bootstrapServers(), "idle-weather", 0, twoCities);
      run.await("40 rows in silver", () -> rows("silver/weather") == 40);
      run.await("gold rows", () -> rows("gold/weather_by_city_1m") > 0);
      assertThat(
              table("gold/weather_by_city_1m").stream()
                  .mapToLong(row -> (Long) row.get("readings"))
                  .sum())
          .isEqualTo(40);

      try (Admin admin = admin()) {
        admin.createPartitions(Map.of("idle-weather", NewPartitions.increaseTo(6))).all().get();
      }
      WeatherRecords.send(broker.bootstrapServers(), "idle-weather", 5, events(500, 7));
      run.await("the new partition's records in silver", () -> rows("silver/weather") == 47);
      assertThat(
              table("silver/weather").stream()
                  .filter(row -> (Integer) row.get("kafka_partition") == 5)
                  .count())
          .isEqualTo(7);
    } finally {
      assertThat(run.stop()).as(run.errors()).isZero();
    }
  }

  @Test
  void aLatestStateTableBehindSilverClosesItsGapDuplicatesIncluded() throws Exception {
    broker.kafka().createTopic("latest-students", 2);
    generateStudents("latest-students", 1000, 31);
    drain("students", "latest-students");
    generateStudents("latest-students", 1000, 32);
    drain("students", "latest-students");
    // A run killed after silver's commit, before students_unique's: its last commit never happened.
    Path log = lakehouse.resolve("gold/students_unique/_delta_log");
    long last;
    try (var files = Files.list(log)) {
      last =
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.matches("\\d{20}\\.json"))
              .mapToLong(name -> Long.parseLong(name.substring(0, 20)))
              .max()
              .orElseThrow();
    }
    Files.delete(log.resolve(String.format("%020d.json", last)));
    Lakehouse lake = Lakehouse.at(lakehouse.toString(), TableFormat.DELTA);
    Schema schema = SilverSchema.of(Contract.forDataset("students"));
    OffsetRanges silver = lake.accounted(lake.table("silver/students", schema), "latest-students");
    assertThat(silver.minus(latestAccounted(lake, schema)).isEmpty()).isFalse();

    Outcome caughtUp = drain("students", "latest-students");

    assertThat(latestAccounted(lake, schema)).isEqualTo(silver);
    assertThat(caughtUp.json().get("read").asLong())
        .as("the commit that never happened")
        .isPositive();
    assertThat(table("gold/students_unique"))
        .hasSize(
            (int)
                table("silver/students").stream()
                    .map(row -> row.get("student_id"))
                    .distinct()
                    .count());
    assertThat(drain("students", "latest-students").json().get("read").asLong())
        .as("nothing left to read again")
        .isZero();
  }

  private static OffsetRanges latestAccounted(Lakehouse lake, Schema schema) {
    return lake.accounted(lake.table("gold/students_unique", schema), "latest-students");
  }

  private static void generateStudents(String topic, int count, int seed) {
    Commands.succeed(
        io.tributary.generators.Generate::run,
        List.of(
            "--dataset=students",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--topic=" + topic,
            "--count=" + count,
            "--seed=" + seed,
            "--badRatio=0.02",
            "--duplicateRatio=0.05"));
  }

  private static void transaction(KafkaProducer<byte[], byte[]> producer, long first, int count) {
    producer.beginTransaction();
    for (long n = first; n < first + count; n++) {
      producer.send(record(n));
    }
    producer.commitTransaction();
  }

  private static ProducerRecord<byte[], byte[]> record(long n) {
    return new ProducerRecord<>(
        "tx-weather",
        (int) (n % 2),
        null,
        WeatherRecords.json(WeatherRecords.id(n), START.plusSeconds(n), "Oslo")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> events(long first, int count) {
    List<String> events = new ArrayList<>();
    for (long n = first; n < first + count; n++) {
      events.add(WeatherRecords.json(WeatherRecords.id(n), START.plusSeconds(n), "Oslo"));
    }
    return events;
  }

  private List<String> runArgs(String topic) {
    return runArgs("weather", topic);
  }

  private List<String> runArgs(String dataset, String topic) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=" + dataset,
                "--topic=" + topic,
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--lakehouse=" + lakehouse));
    args.addAll(RunnerUnderTest.runArgs());
    return args;
  }

  private List<String> drainArgs(String topic) {
    List<String> args = runArgs(topic);
    args.add("--drain");
    return args;
  }

  private Outcome drain(String topic) {
    return drain("weather", topic);
  }

  private Outcome drain(String dataset, String topic) {
    List<String> args = runArgs(dataset, topic);
    args.add("--drain");
    return Commands.succeed(Run::run, args);
  }

  private List<Map<String, Object>> table(String name) {
    return TableReader.read(lakehouse.resolve(name).toString(), TableFormat.DELTA);
  }

  private Set<String> eventIds(String name) {
    return table(name).stream()
        .map(row -> (String) row.get("event_id"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private long rows(String name) {
    Path path = lakehouse.resolve(name);
    // The table's first commit, not only its log directory: the run may be creating it.
    if (!Files.exists(path.resolve("_delta_log/00000000000000000000.json"))) {
      return 0;
    }
    return TableReader.count(path.toString(), TableFormat.DELTA);
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }
}

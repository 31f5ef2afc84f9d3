package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.Commands;
import io.tributary.pipelines.testing.HostileCorpus;
import io.tributary.pipelines.testing.HostileCorpus.Expected;
import io.tributary.pipelines.testing.HostileCorpus.Produced;
import io.tributary.pipelines.testing.RunnerUnderTest;
import io.tributary.pipelines.testing.StreamingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile records ({@link HostileCorpus}: huge exponents, UTF-16, lone surrogates, tombstones, wild
 * clocks, 900 KB strings, ...) through {@code ./tributary run} against a real broker, drained and
 * streamed, on the runner under test: the run never fails, bronze holds every offset once, and each
 * record is in silver, in quarantine with its rule, or a counted duplicate, exactly once. Also
 * events written by Python's {@code json.dumps} streamed end to end, through the cycles and through
 * {@code --unboundedRead}, whose element timestamps used to disagree with silver for them.
 */
class HostileInputIT {
  private static final List<String> DATASETS =
      List.of("weather", "students", "trips", "transactions");

  @TempDir Path lakehouse;
  private TableFormat format = TableFormat.DELTA;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void aDrainAccountsForEveryHostileRecordOnce(TableFormat tableFormat) {
    format = tableFormat;
    Map<String, String> topics =
        topics("drain-" + format.name().toLowerCase(Locale.ROOT), DATASETS);
    List<Produced> produced =
        HostileCorpus.produce(
            broker.bootstrapServers(),
            topics,
            HostileCorpus.load(HostileCorpus.HOSTILE, Instant.now()));
    assertThat(produced).hasSizeGreaterThanOrEqualTo(50);

    String formatFlag = "--format=" + format.name().toLowerCase(Locale.ROOT);
    Commands.Outcome drain = Commands.succeed(Run::run, runArgs(topics, "--drain", formatFlag));

    assertThat(drain.json().get("read").asLong()).isEqualTo(produced.size());
    assertAccountedOnce(produced);
    if (!RunnerUnderTest.isSpark()) {
      // (Spark may count a recomputed partition twice; the tables above are what counts.)
      assertCounted(drain.json().get("datasets"), produced);
    }
    // Nothing is left for a restart to read again and fail on.
    Commands.Outcome again = Commands.succeed(Run::run, runArgs(topics, "--drain", formatFlag));
    assertThat(again.json().get("read").asLong()).isZero();
    assertAccountedOnce(produced);
  }

  @Test
  void streamingAccountsForEveryHostileRecordOnce() throws Exception {
    streamTheCorpus("stream");
  }

  @Test
  void theUnboundedReadAccountsForEveryHostileRecordOnce() throws Exception {
    streamTheCorpus("unbounded", "--unboundedRead", "--flushIntervalSeconds=2");
  }

  private void streamTheCorpus(String prefix, String... flags) throws Exception {
    Map<String, String> topics = topics(prefix, DATASETS);
    StreamingRun run = StreamingRun.start(runArgs(topics, flags));
    List<Produced> produced;
    try {
      // Produced while the run streams.
      produced =
          HostileCorpus.produce(
              broker.bootstrapServers(),
              topics,
              HostileCorpus.load(HostileCorpus.HOSTILE, Instant.now()));
      run.await("every hostile record in its tables", () -> everyRecordCommitted(produced));
    } finally {
      assertThat(run.stop()).as(run.errors()).isZero();
    }
    assertAccountedOnce(produced);
  }

  @Test
  void pythonJsonDumpsEventsStreamThroughTheCyclesAsTheyDrain() throws Exception {
    Map<String, String> topics = topics("python-cycles", List.of("weather"));
    StreamingRun run = StreamingRun.start(runArgs(topics));
    List<Produced> produced;
    try {
      produced = producePythonEvents(topics);
      run.await("every event in silver", () -> rows("silver/weather") == produced.size());
      // Gold is exact after every cycle: all of its windows.
      Map<String, Map<String, Object>> expected =
          GoldRecompute.weatherByCity(table("silver/weather"));
      run.await("every gold window", () -> rows("gold/weather_by_city_1m") == expected.size());
    } finally {
      assertThat(run.stop()).as(run.errors()).isZero();
    }
    assertAccountedOnce(produced);
    assertGoldMatchesSilver(true);
  }

  @Test
  void pythonJsonDumpsEventsStreamThroughTheUnboundedRead() throws Exception {
    Map<String, String> topics = topics("python-unbounded", List.of("weather"));
    List<String> args = runArgs(topics, "--unboundedRead", "--flushIntervalSeconds=2");
    StreamingRun run = StreamingRun.start(args);
    List<Produced> produced;
    try {
      produced = producePythonEvents(topics);
      // Bronze commits on its own flush: a stop cancels what it has not committed yet (read again
      // on the next start), so wait for every table, not only silver.
      run.await("every record committed", () -> everyRecordCommitted(produced));
      // The watermark follows the events' own times: windows before the last one close.
      run.await("gold windows", () -> rows("gold/weather_by_city_1m") >= 4);
    } finally {
      assertThat(run.stop()).as(run.errors()).isZero();
    }
    assertAccountedOnce(produced);
    assertGoldMatchesSilver(false);
  }

  private List<Produced> producePythonEvents(Map<String, String> topics) {
    return HostileCorpus.produce(
        broker.bootstrapServers(),
        topics,
        HostileCorpus.load(HostileCorpus.PYTHON_JSON_DUMPS, Instant.now()));
  }

  /** One topic of one partition per dataset, so that a record's offset is its place in the list. */
  private static Map<String, String> topics(String prefix, List<String> datasets) {
    Map<String, String> topics = new LinkedHashMap<>();
    for (String dataset : datasets) {
      String topic = prefix + "-" + dataset;
      broker.kafka().createTopic(topic, 1);
      topics.put(dataset, topic);
    }
    return topics;
  }

  private List<String> runArgs(Map<String, String> topics, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=" + String.join(",", topics.keySet()),
                "--topic=" + String.join(",", topics.values()),
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--lakehouse=" + lakehouse));
    args.addAll(List.of(more));
    args.addAll(RunnerUnderTest.runArgs());
    return args;
  }

  /** Whether bronze, silver and quarantine hold as many rows as the records produced ask for. */
  private boolean everyRecordCommitted(List<Produced> produced) {
    for (String dataset : datasetsOf(produced)) {
      List<Produced> mine = of(produced, dataset);
      if (rows("bronze/" + dataset) != mine.size()
          || rows("silver/" + dataset) != count(mine, "silver")
          || rows("quarantine/" + dataset) != count(mine, "quarantine")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Bronze holds each record once, as sent; each record is in silver, in quarantine with the
   * expected stage, rule and field, or a duplicate of a record silver holds: exactly one of these.
   */
  private void assertAccountedOnce(List<Produced> produced) {
    for (String dataset : datasetsOf(produced)) {
      List<Produced> mine = of(produced, dataset);
      Map<Long, Map<String, Object>> bronze = byOffset(table("bronze/" + dataset), "offset");
      Map<Long, Map<String, Object>> silver = byOffset(table("silver/" + dataset), "kafka_offset");
      Map<Long, Map<String, Object>> quarantine =
          byOffset(table("quarantine/" + dataset), "offset");
      assertThat(bronze.keySet())
          .as("bronze/%s: every offset once", dataset)
          .isEqualTo(mine.stream().map(Produced::offset).collect(Collectors.toSet()));
      Map<String, Produced> byId = new HashMap<>();
      mine.forEach(p -> byId.put(p.record().id(), p));
      for (Produced p : mine) {
        String id = p.record().id();
        Map<String, Object> raw = bronze.get(p.offset());
        assertThat((byte[]) raw.get("value"))
            .as(id + ": bronze value")
            .isEqualTo(p.record().value());
        assertThat((byte[]) raw.get("key")).as(id + ": bronze key").isEqualTo(p.record().key());
        if (p.record().timestamp() != null) {
          // Beyond what Parquet's microseconds hold, a Kafka timestamp saturates.
          long millis = p.record().timestamp();
          assertThat(raw.get("kafka_timestamp"))
              .as(id + ": bronze kafka_timestamp")
              .isEqualTo(
                  millis > Long.MAX_VALUE / 1000
                      ? Instant.EPOCH.plus(Long.MAX_VALUE, java.time.temporal.ChronoUnit.MICROS)
                      : Instant.ofEpochMilli(millis));
        }
        Expected expected = p.record().expected();
        switch (expected.outcome()) {
          case "silver" -> {
            assertThat(quarantine).as(id + " is not quarantined").doesNotContainKey(p.offset());
            Map<String, Object> row = silver.get(p.offset());
            if (row == null) {
              // The original of a re-send: either offset may be the one kept.
              row = keptDuplicate(p, mine, silver);
            }
            assertThat(row).as(id + " in silver").isNotNull();
            Map<String, Object> kept = row;
            expected
                .values()
                .forEach(
                    (column, value) ->
                        assertThat(String.valueOf(kept.get(column)))
                            .as(id + ": " + column)
                            .isEqualTo(value));
            expected
                .lengths()
                .forEach(
                    (column, length) ->
                        assertThat((String) kept.get(column))
                            .as(id + ": " + column)
                            .hasSize(length));
          }
          case "duplicate" -> {
            Produced original = byId.get(expected.duplicateOf());
            assertThat(quarantine).as(id + " is not quarantined").doesNotContainKey(p.offset());
            assertThat(
                    (silver.containsKey(p.offset()) ? 1 : 0)
                        + (silver.containsKey(original.offset()) ? 1 : 0))
                .as(id + " and " + original.record().id() + ": one row in silver")
                .isEqualTo(1);
          }
          case "quarantine" -> {
            assertThat(silver).as(id + " is not in silver").doesNotContainKey(p.offset());
            Map<String, Object> row = quarantine.get(p.offset());
            assertThat(row).as(id + " in quarantine").isNotNull();
            String reason = (String) row.get("reason");
            assertThat(row.get("stage") + " " + row.get("rule"))
                .as(id + ": " + reason)
                .isEqualTo(expected.stage() + " " + expected.rule());
            if (expected.field() != null) {
              assertThat(row.get("field")).as(id + ": field").isEqualTo(expected.field());
            }
            assertThat(reason).as(id + ": reason").isNotBlank().hasSizeLessThan(400);
            assertThat((byte[]) row.get("payload"))
                .as(id + ": original bytes")
                .isEqualTo(p.record().value());
          }
          default -> throw new IllegalStateException(expected.outcome());
        }
      }
      assertThat(silver).as("silver/%s rows", dataset).hasSize((int) count(mine, "silver"));
      assertThat(quarantine)
          .as("quarantine/%s rows", dataset)
          .hasSize((int) count(mine, "quarantine"));
    }
  }

  /** The summary's counters say what the tables hold: per quarantine rule, and duplicates. */
  private static void assertCounted(
      com.fasterxml.jackson.databind.JsonNode datasets, List<Produced> produced) {
    for (String dataset : datasetsOf(produced)) {
      List<Produced> mine = of(produced, dataset);
      com.fasterxml.jackson.databind.JsonNode counters = datasets.get(dataset);
      Map<String, Long> quarantined = new TreeMap<>();
      counters
          .fields()
          .forEachRemaining(
              counter -> {
                if (counter.getKey().startsWith("quarantined.")) {
                  quarantined.put(counter.getKey(), counter.getValue().asLong());
                }
              });
      Map<String, Long> expected = new TreeMap<>();
      mine.stream()
          .map(p -> p.record().expected())
          .filter(e -> e.outcome().equals("quarantine"))
          .forEach(e -> expected.merge("quarantined." + e.stage() + "." + e.rule(), 1L, Long::sum));
      assertThat(quarantined).as(dataset + " quarantine counters").isEqualTo(expected);
      assertThat(counters.path("duplicates_dropped").asLong())
          .as(dataset + " duplicates")
          .isEqualTo(count(mine, "duplicate"));
      assertThat(counters.get("read").asLong()).as(dataset + " read").isEqualTo(mine.size());
    }
  }

  /** The silver row of a record that was re-sent, at whichever offset de-duplication kept. */
  private static Map<String, Object> keptDuplicate(
      Produced original, List<Produced> mine, Map<Long, Map<String, Object>> silver) {
    return mine.stream()
        .filter(p -> original.record().id().equals(p.record().expected().duplicateOf()))
        .map(p -> silver.get(p.offset()))
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /** Every gold row agrees with gold recomputed from silver; with {@code all}, every window too. */
  private void assertGoldMatchesSilver(boolean all) {
    GoldRecompute.assertWeatherByCityMatches(
        table("silver/weather"),
        table("gold/weather_by_city_1m"),
        all
            ? GoldRecompute.GoldRows.LATEST_PANES_EVERY_WINDOW
            : GoldRecompute.GoldRows.LATEST_PANES_SO_FAR);
  }

  private static Map<Long, Map<String, Object>> byOffset(
      List<Map<String, Object>> rows, String column) {
    Map<Long, Map<String, Object>> byOffset = new HashMap<>();
    for (Map<String, Object> row : rows) {
      Object previous = byOffset.put((Long) row.get(column), row);
      assertThat(previous).as("offset %s appears twice", row.get(column)).isNull();
    }
    return byOffset;
  }

  private static Set<String> datasetsOf(List<Produced> produced) {
    return produced.stream()
        .map(p -> p.record().dataset())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private static List<Produced> of(List<Produced> produced, String dataset) {
    return produced.stream().filter(p -> p.record().dataset().equals(dataset)).toList();
  }

  private static long count(List<Produced> produced, String outcome) {
    return produced.stream().filter(p -> p.record().expected().outcome().equals(outcome)).count();
  }

  private List<Map<String, Object>> table(String name) {
    return TableReader.read(lakehouse.resolve(name).toString(), format);
  }

  private long rows(String name) {
    Path path = lakehouse.resolve(name);
    if (!Files.isDirectory(path.resolve("_delta_log"))) {
      return 0;
    }
    return TableReader.count(path.toString(), TableFormat.DELTA);
  }
}

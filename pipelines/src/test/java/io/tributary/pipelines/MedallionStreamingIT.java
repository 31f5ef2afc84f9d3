package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Generate;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.RunnerUnderTest;
import io.tributary.pipelines.testing.StreamingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming mode through {@code ./tributary run}'s entry point, on the runner under test ({@link
 * RunnerUnderTest}): events produced after the pipeline started reach silver and gold while it runs
 * in cycles; a stopped run restarted carries on where the tables stand, without losing or repeating
 * a record.
 */
class MedallionStreamingIT {
  private static final java.time.Instant START = java.time.Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path lakehouse;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @Test
  void eventsProducedAfterStartAppearInSilverAndGold() throws Exception {
    broker.kafka().createTopic("live-weather", 4);
    StreamingRun run = StreamingRun.start(runArgs("live-weather"));
    try {
      // Produced only now, while the pipeline runs: 2,000 events span 500 s of event time.
      JsonNode sent = generate("live-weather", 2000, 1);

      run.await("2,000 rows in silver", () -> rows("silver/weather") == sent.get("valid").asLong());
      run.await("gold rows", () -> rows("gold/weather_by_city_1m") > 0);
      // Each table flushes on its own schedule: bronze may trail silver by one flush.
      run.await("2,000 rows in bronze", () -> rows("bronze/weather") == 2000);
      // Within a cycle gold commits after silver: the last cycle's gold may still be on its way.
      run.await("gold equal to silver", this::goldMatchesSilver);

      assertGoldMatchesSilver();
    } finally {
      run.stop();
    }
  }

  @Test
  void aRestartResumesWhereTheTablesStandWithoutLossOrDuplicates() throws Exception {
    broker.kafka().createTopic("restart-weather", 4);
    List<String> args = runArgs("restart-weather");

    StreamingRun first = StreamingRun.start(args);
    JsonNode before = generate("restart-weather", 3000, 21);
    first.await("the first run's rows in silver", () -> rows("silver/weather") > 0);
    // Stopped while events are still arriving: graceful, so what was read gets committed.
    assertThat(first.stop()).as(first.errors()).isZero();
    long committedBeforeRestart = rows("bronze/weather");
    assertThat(checkpoints())
        .as("cycles keep no checkpoint: the tables are the position")
        .isEmpty();

    JsonNode during = generate("restart-weather", 3000, 22);
    StreamingRun second = StreamingRun.start(args);
    try {
      long sent = before.get("sent").asLong() + during.get("sent").asLong();
      long valid = before.get("valid").asLong() + during.get("valid").asLong();
      JsonNode after = generate("restart-weather", 1000, 23);
      long allSent = sent + after.get("sent").asLong();
      long allValid = valid + after.get("valid").asLong();

      second.await("every record in bronze", () -> rows("bronze/weather") >= allSent);
      second.await("every valid event in silver", () -> rows("silver/weather") >= allValid);

      assertThat(committedBeforeRestart).isPositive();
      List<Map<String, Object>> bronze = table("bronze/weather");
      Set<String> positions = new HashSet<>();
      bronze.forEach(row -> positions.add(row.get("partition") + "/" + row.get("offset")));
      assertThat(bronze).as("bronze rows").hasSize((int) allSent);
      assertThat(positions).as("each Kafka record once in bronze").hasSize((int) allSent);
      List<Map<String, Object>> silver = table("silver/weather");
      assertThat(silver).as("silver rows").hasSize((int) allValid);
      assertThat(silver.stream().map(row -> row.get("event_id")).distinct().count())
          .isEqualTo(allValid);
      second.await("gold equal to silver", this::goldMatchesSilver);
      assertGoldMatchesSilver();
    } finally {
      second.stop();
    }
  }

  private boolean goldMatchesSilver() {
    try {
      assertGoldMatchesSilver();
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** Every gold row, at its latest pane, agrees with gold recomputed from silver. */
  private void assertGoldMatchesSilver() {
    GoldRecompute.assertWeatherByCityMatches(
        table("silver/weather"),
        table("gold/weather_by_city_1m"),
        GoldRecompute.GoldRows.LATEST_PANES_SO_FAR);
  }

  private List<String> runArgs(String topic) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=weather",
                "--topic=" + topic,
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--lakehouse=" + lakehouse,
                "--flushIntervalSeconds=2"));
    args.addAll(RunnerUnderTest.runArgs());
    return args;
  }

  private static JsonNode generate(String topic, int count, int seed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(
            Generate.run(
                new String[] {
                  "--dataset=weather",
                  "--bootstrapServers=" + broker.bootstrapServers(),
                  "--topic=" + topic,
                  "--count=" + count,
                  "--seed=" + seed,
                  "--badRatio=0.02",
                  "--duplicateRatio=0.02",
                  // Batches follow each other in event time: 1,000 s apart, more than a batch
                  // spans.
                  "--startTime=" + START.plusSeconds(1000L * (seed % 10))
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(OutputStream.nullOutputStream())))
        .isZero();
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }

  private List<Path> checkpoints() throws IOException {
    if (!Files.isDirectory(lakehouse.resolve(Run.CHECKPOINTS_DIR))) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(lakehouse.resolve(Run.CHECKPOINTS_DIR))) {
      return dirs.toList();
    }
  }

  private List<Map<String, Object>> table(String name) {
    return TableReader.read(lakehouse.resolve(name).toString(), TableFormat.DELTA);
  }

  private long rows(String name) {
    Path path = lakehouse.resolve(name);
    // The table's first commit, not only its log directory: the run may be creating it.
    if (!Files.exists(path.resolve("_delta_log/00000000000000000000.json"))) {
      return 0;
    }
    return TableReader.count(path.toString(), TableFormat.DELTA);
  }
}

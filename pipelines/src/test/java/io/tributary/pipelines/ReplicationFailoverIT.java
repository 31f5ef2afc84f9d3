package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Generate;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.Commands;
import io.tributary.pipelines.testing.Poll;
import io.tributary.pipelines.testing.Replication;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary cluster is lost mid-stream: MirrorMaker 2 replicates the primary's topic to a
 * secondary; the streaming pipeline reads the primary, which is killed (SIGKILL) while the pipeline
 * is behind; the pipeline fails over ({@code --failoverFrom=primary}) and streams the secondary's
 * replica, where the producers continue; a final drain. Every record is then in the tables exactly
 * once: bronze holds each record once (under the primary's or the replica's coordinates), silver
 * each valid event once, quarantine each bad record once, and gold is silver aggregated.
 *
 * <p>The first generator finishes and replication catches up before the kill: records neither
 * replicated nor read when a cluster is lost are not on the secondary at all (asynchronous
 * replication), and this test counts on every record sent.
 */
class ReplicationFailoverIT {
  private static final String TOPIC = "weather";
  private static final String REPLICA = "primary." + TOPIC;
  private static final int ON_PRIMARY = 24_000;
  private static final int ON_SECONDARY = 8_000;
  private static final int AFTER_FAILBACK = 4_000;

  @TempDir Path work;
  @RegisterExtension static final Broker primary = Broker.plaintext();
  @RegisterExtension static final Broker secondary = Broker.plaintext();

  @Test
  void losingThePrimaryMidStreamLosesAndDuplicatesNothing() throws Exception {
    Path lakehouse = work.resolve("lakehouse");
    primary.kafka().createTopic(TOPIC, 4);
    try (Replication mirror =
        Replication.start(
            primary.bootstrapServers(),
            "primary",
            secondary.bootstrapServers(),
            List.of(TOPIC),
            work.resolve("replicate.log"))) {
      Process first =
          generator(primary.bootstrapServers(), TOPIC, ON_PRIMARY, 61, "first", "--rate=4000");
      // Small cycles keep the pipeline behind the generator, so the primary is lost mid-stream.
      Process streaming =
          run(
              "stream-primary",
              "--bootstrapServers=" + primary.bootstrapServers(),
              "--maxEventsPerCycle=500");
      assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("the first generator finished").isTrue();
      assertThat(first.exitValue()).isZero();
      mirror.awaitCaughtUp(TOPIC, 120);
      mirror.awaitOffsetSyncs(TOPIC, 30);
      awaitLine(work.resolve("replicate.log"), "replicate: lag 0 records {weather=0}", 30);
      awaitBronzeRows(lakehouse, TOPIC, streaming, "stream-primary", 120);

      primary.kafka().process().destroyForcibly();
      // As the runbook says: the flow from a lost cluster is stopped; a returning primary gets a
      // new
      // replica generation under a new alias, never this one resumed.
      mirror.close();
      primary.kafka().process().onExit().get(30, TimeUnit.SECONDS);
      // The run on the lost cluster is stopped as an operator would (it cannot read anything).
      streaming.destroyForcibly().waitFor();
      long readBeforeKill = bronzeRows(lakehouse, TOPIC);
      assertThat(readBeforeKill)
          .as("the primary was lost mid-stream: some of its records read, not all")
          .isGreaterThan(0)
          .isLessThan(ON_PRIMARY);

      Process failover =
          run(
              "stream-secondary",
              "--bootstrapServers=" + secondary.bootstrapServers(),
              "--failoverFrom=primary");
      Process second =
          generator(
              secondary.bootstrapServers(), REPLICA, ON_SECONDARY, 67, "second", "--rate=2000");
      assertThat(second.waitFor(120, TimeUnit.SECONDS))
          .as("the second generator finished")
          .isTrue();
      assertThat(second.exitValue()).isZero();
      awaitBronzeRows(lakehouse, REPLICA, failover, "stream-secondary", 120);
      failover.destroyForcibly().waitFor();

      Process drain =
          run(
              "drain-secondary",
              "--bootstrapServers=" + secondary.bootstrapServers(),
              "--failoverFrom=primary",
              "--drain");
      assertThat(drain.waitFor(300, TimeUnit.SECONDS)).as("the final drain finished").isTrue();
      assertThat(drain.exitValue()).as("final drain; log:\n" + log("drain-secondary")).isZero();
      assertThat(log("stream-secondary")).contains("resumes " + REPLICA);

      // Failback: the primary returns with its data; the tables continue its topic after what
      // they read of the replica, so a drain finds nothing left, then reads what is new there.
      primary.kafka().restart();
      String failback = "--failbackFrom=primary@" + secondary.bootstrapServers();
      assertThat(
              drainSummary("failback", "--bootstrapServers=" + primary.bootstrapServers(), failback)
                  .get("read")
                  .asLong())
          .as("records the tables read through the replica are not read again")
          .isZero();
      Process third =
          generator(primary.bootstrapServers(), TOPIC, AFTER_FAILBACK, 71, "third", "--rate=4000");
      assertThat(third.waitFor(120, TimeUnit.SECONDS)).as("the third generator finished").isTrue();
      assertThat(third.exitValue()).isZero();
      assertThat(
              drainSummary(
                      "failback-drain",
                      "--bootstrapServers=" + primary.bootstrapServers(),
                      failback)
                  .get("read")
                  .asLong())
          .isEqualTo(AFTER_FAILBACK);
    }

    JsonNode first = summary("first");
    JsonNode second = summary("second");
    JsonNode third = summary("third");
    assertThat(first.get("sent").asInt()).isEqualTo(ON_PRIMARY);
    assertThat(second.get("sent").asInt()).isEqualTo(ON_SECONDARY);

    // Bronze: each record once, under the coordinates it was read at; the failover's carry the
    // replica's topic.
    List<Map<String, Object>> bronze =
        TableReader.readColumns(
            lakehouse.resolve("bronze/weather").toString(),
            TableFormat.DELTA,
            List.of("topic", "partition", "offset"));
    assertThat(
            bronze.stream()
                .map(
                    row -> row.get("topic") + "/" + row.get("partition") + "/" + row.get("offset")))
        .doesNotHaveDuplicates();
    assertThat(bronze.size())
        .as(
            "bronze rows by topic "
                + bronze.stream()
                    .collect(
                        java.util.stream.Collectors.groupingBy(
                            row -> row.get("topic"), java.util.stream.Collectors.counting())))
        .isEqualTo(ON_PRIMARY + ON_SECONDARY + AFTER_FAILBACK);
    assertThat(bronze.stream().map(row -> row.get("topic")).distinct())
        .containsExactlyInAnyOrder(TOPIC, REPLICA);

    List<Map<String, Object>> silver =
        TableReader.read(lakehouse.resolve("silver/weather").toString(), TableFormat.DELTA);
    assertThat(silver.stream().map(row -> row.get("event_id"))).doesNotHaveDuplicates();
    assertThat(silver)
        .hasSize(
            first.get("valid").asInt() + second.get("valid").asInt() + third.get("valid").asInt());

    List<Map<String, Object>> quarantine =
        TableReader.readColumns(
            lakehouse.resolve("quarantine/weather").toString(),
            TableFormat.DELTA,
            List.of("payload"));
    Set<ByteBuffer> payloads = new HashSet<>();
    quarantine.forEach(
        row ->
            assertThat(payloads.add(ByteBuffer.wrap((byte[]) row.get("payload"))))
                .as("bad record quarantined once: " + row)
                .isTrue());
    assertThat(quarantine)
        .hasSize(
            first.get("malformed").asInt()
                + first.get("invalid").asInt()
                + second.get("malformed").asInt()
                + second.get("invalid").asInt()
                + third.get("malformed").asInt()
                + third.get("invalid").asInt());

    checkGoldIsSilverAggregated(lakehouse, silver);
  }

  private static void checkGoldIsSilverAggregated(
      Path lakehouse, List<Map<String, Object>> silver) {
    Map<String, Map<String, Object>> expected = GoldRecompute.weatherByCity(silver);
    Map<String, Map<String, Object>> gold =
        GoldRecompute.byWindowAndKey(
            TableReader.read(
                lakehouse.resolve("gold/weather_by_city_1m").toString(), TableFormat.DELTA),
            List.of("city"));
    assertThat(gold.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (key, columns) ->
            columns.forEach(
                (column, value) -> {
                  Object actual = gold.get(key).get(column);
                  if (value instanceof Double d) {
                    assertThat((Double) actual).as(key + " " + column).isCloseTo(d, within(1e-6));
                  } else {
                    assertThat(actual).as(key + " " + column).isEqualTo(value);
                  }
                }));
  }

  private static long bronzeRows(Path lakehouse, String topic) {
    Path table = lakehouse.resolve("bronze/weather");
    if (!Files.isDirectory(table.resolve("_delta_log"))) {
      return 0;
    }
    return TableReader.readColumns(table.toString(), TableFormat.DELTA, List.of("topic")).stream()
        .filter(row -> topic.equals(row.get("topic")))
        .count();
  }

  /** Waits until bronze holds rows of {@code topic} while {@code run} streams. */
  private void awaitBronzeRows(Path lakehouse, String topic, Process run, String name, long seconds)
      throws Exception {
    Poll.upTo(Duration.ofSeconds(seconds))
        .unlessEnded(
            () ->
                run.isAlive()
                    ? Optional.empty()
                    : Optional.of(name + " exited with status " + run.exitValue()))
        .until(
            () -> "bronze rows of " + topic + "; " + name + "'s log:\n" + log(name),
            () -> bronzeRows(lakehouse, topic) > 0);
  }

  /** Waits until {@code file} holds a line starting with {@code prefix}. */
  private static void awaitLine(Path file, String prefix, long seconds) throws Exception {
    Poll.upTo(Duration.ofSeconds(seconds))
        .until(
            file + " to report '" + prefix + "'",
            () ->
                Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream()
                    .anyMatch(line -> line.startsWith(prefix)));
  }

  private Process generator(
      String bootstrapServers, String topic, int events, int seed, String name, String rate)
      throws IOException {
    return Commands.childJvm(
            Generate.class.getName(),
            List.of(
                "--dataset=weather",
                "--bootstrapServers=" + bootstrapServers,
                "--topic=" + topic,
                "--count=" + events,
                "--seed=" + seed,
                "--badRatio=0.01",
                "--duplicateRatio=0.01",
                rate))
        .redirectErrorStream(false)
        .redirectOutput(work.resolve(name + ".json").toFile())
        .redirectError(work.resolve(name + ".log").toFile())
        .start();
  }

  private Process run(String name, String... args) throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--dataset=weather",
                "--topic=" + TOPIC,
                "--lakehouse=" + work.resolve("lakehouse"),
                "--flushIntervalSeconds=1"));
    all.addAll(List.of(args));
    return Commands.childJvm(Run.class.getName(), all)
        .redirectOutput(work.resolve(name + ".log").toFile())
        .start();
  }

  /** A drain's JSON summary line; fails the test unless the drain succeeds. */
  private JsonNode drainSummary(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--drain");
    Process drain = run(name, all.toArray(String[]::new));
    assertThat(drain.waitFor(300, TimeUnit.SECONDS)).as(name + " finished").isTrue();
    assertThat(drain.exitValue()).as(name + "; log:\n" + log(name)).isZero();
    String tail = log(name);
    String line =
        Files.readAllLines(work.resolve(name + ".log"), StandardCharsets.ISO_8859_1).stream()
            .filter(text -> text.startsWith("{\"mode\""))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError(name + " printed no summary:\n" + tail));
    return new ObjectMapper().readTree(line);
  }

  private JsonNode summary(String name) throws IOException {
    return new ObjectMapper().readTree(Files.readString(work.resolve(name + ".json")).strip());
  }

  private String log(String name) {
    try {
      String text = Files.readString(work.resolve(name + ".log"), StandardCharsets.ISO_8859_1);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

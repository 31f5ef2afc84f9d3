package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Generate;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.Commands;
import io.tributary.pipelines.testing.RunnerUnderTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the pipelines (on the runner under test) with SIGKILL at random moments while a generator
 * produces, restarts them, kills a drain part-way, and checks that a final drain leaves every
 * record in bronze exactly once, every valid event in silver exactly once and every bad record in
 * quarantine exactly once. The runs are child JVMs, so that the kill is a real {@code kill -9} of a
 * process writing the lakehouse.
 */
class ExactlyOnceCrashIT {
  private static final String TOPIC = "crash";
  private static final int EVENTS = 200_000;
  private static final String STUDENTS_TOPIC = "crash-students";
  private static final int STUDENT_EVENTS = 20_000;
  private static final int KILLS = 5;

  /** Produced after the streaming runs, so that the drain killed part-way has cycles to run. */
  private static final int TOP_UP_EVENTS = 30_000;

  @TempDir Path work;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  @Test
  void killedStreamingRunsAndAKilledDrainLeaveEveryRecordExactlyOnce() throws Exception {
    Path lakehouse = work.resolve("lakehouse");
    Path summary = work.resolve("generated.json");
    // About 40 s of events, produced while the pipelines are killed and restarted.
    Process generator =
        weatherGenerator(EVENTS, 29, summary, "generator.log", List.of("--rate=5000"));
    Path studentsSummary = work.resolve("students.json");
    Process students =
        Commands.childJvm(
                Generate.class.getName(),
                List.of(
                    "--dataset=students",
                    "--bootstrapServers=" + broker.bootstrapServers(),
                    "--topic=" + STUDENTS_TOPIC,
                    "--count=" + STUDENT_EVENTS,
                    "--rate=500",
                    "--seed=31",
                    "--badRatio=0.01",
                    "--duplicateRatio=0.02"))
            .redirectErrorStream(false)
            .redirectOutput(studentsSummary.toFile())
            .redirectError(work.resolve("students-generator.log").toFile())
            .start();
    List<String> run =
        List.of(
            "--dataset=weather,students",
            "--topic=" + TOPIC + "," + STUDENTS_TOPIC,
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--lakehouse=" + lakehouse,
            "--flushIntervalSeconds=1");
    Random random = new Random(29);
    int kills = 0;
    long bronzeCommitsBefore = 0;
    while (kills < KILLS || generator.isAlive()) {
      Process streaming = start(run, "stream-" + kills);
      // Killed at a random moment 8–16 s after start (20 s for the first, which starts the
      // tables); it commits every second once running: before, during or after a commit.
      long runMillis = kills == 0 ? 20_000 : 8000 + random.nextInt(8000);
      boolean ended = streaming.waitFor(runMillis, TimeUnit.MILLISECONDS);
      assertThat(ended).as("streaming ran until killed; log:\n" + log("stream-" + kills)).isFalse();
      streaming.destroyForcibly().waitFor();
      kills++;
      if (kills > 20) {
        break;
      }
    }
    assertThat(generator.waitFor(120, TimeUnit.SECONDS)).as("the generator finished").isTrue();
    assertThat(generator.exitValue()).isZero();
    assertThat(students.waitFor(120, TimeUnit.SECONDS))
        .as("the students generator finished")
        .isTrue();
    assertThat(students.exitValue()).isZero();
    bronzeCommitsBefore = commits(lakehouse.resolve("bronze/weather"));
    assertThat(bronzeCommitsBefore)
        .as("the killed streaming runs committed; last log:\n" + log("stream-" + (kills - 1)))
        .isGreaterThan(1);

    // Streaming cycles keep up with the generator, so a backlog is made for the drain: killed as
    // soon as it committed to some table, before it committed all (its cycles are small).
    Path topUpSummary = work.resolve("top-up.json");
    Process topUp = weatherGenerator(TOP_UP_EVENTS, 41, topUpSummary, "top-up.log", List.of());
    assertThat(topUp.waitFor(120, TimeUnit.SECONDS)).as("the top-up generator finished").isTrue();
    assertThat(topUp.exitValue()).isZero();
    List<String> smallCycles = new java.util.ArrayList<>(withDrain(run));
    smallCycles.add("--maxEventsPerCycle=3000");
    Process drain = start(smallCycles, "drain-killed");
    long tablesBefore = totalCommits(lakehouse);
    while (totalCommits(lakehouse) == tablesBefore && !drain.waitFor(20, TimeUnit.MILLISECONDS)) {
      assertThat(drain.isAlive()).isTrue();
    }
    boolean drainKilledMidway = drain.isAlive();
    drain.destroyForcibly().waitFor();

    Process last = start(withDrain(run), "drain-final");
    assertThat(last.waitFor(300, TimeUnit.SECONDS)).as("the final drain finished").isTrue();
    assertThat(last.exitValue()).as("final drain; log:\n" + log("drain-final")).isZero();

    JsonNode sent = new ObjectMapper().readTree(Files.readString(summary).strip());
    assertThat(sent.get("sent").asLong()).isEqualTo(EVENTS);
    JsonNode toppedUp = new ObjectMapper().readTree(Files.readString(topUpSummary).strip());
    assertThat(toppedUp.get("sent").asLong()).isEqualTo(TOP_UP_EVENTS);
    assertThat(kills).isGreaterThanOrEqualTo(KILLS);
    assertThat(drainKilledMidway)
        .as("the drain was killed after a commit, before it ended")
        .isTrue();

    // Bronze: every (partition, offset) of the topic, once.
    List<Map<String, Object>> bronze =
        TableReader.readColumns(
            lakehouse.resolve("bronze/weather").toString(),
            TableFormat.DELTA,
            List.of("partition", "offset"));
    Map<Integer, Set<Long>> offsets = new HashMap<>();
    for (Map<String, Object> row : bronze) {
      boolean fresh =
          offsets
              .computeIfAbsent((Integer) row.get("partition"), p -> new HashSet<>())
              .add((Long) row.get("offset"));
      assertThat(fresh).as("bronze holds " + row + " once").isTrue();
    }
    assertThat(bronze).hasSize(EVENTS + TOP_UP_EVENTS);
    offsets.forEach(
        (partition, seen) ->
            assertThat(seen)
                .as("partition " + partition + " has no gaps")
                .hasSize((int) max(seen) + 1));

    // Silver: each valid event once.
    List<Map<String, Object>> silver =
        TableReader.readColumns(
            lakehouse.resolve("silver/weather").toString(), TableFormat.DELTA, List.of("event_id"));
    Set<Object> ids = new HashSet<>();
    silver.forEach(row -> assertThat(ids.add(row.get("event_id"))).as(row + " once").isTrue());
    assertThat(silver).hasSize(sent.get("valid").asInt() + toppedUp.get("valid").asInt());

    // Quarantine: each bad record once.
    List<Map<String, Object>> quarantine =
        TableReader.readColumns(
            lakehouse.resolve("quarantine/weather").toString(),
            TableFormat.DELTA,
            List.of("partition", "offset"));
    assertThat(quarantine.stream().map(row -> row.get("partition") + "/" + row.get("offset")))
        .doesNotHaveDuplicates()
        .hasSize(
            sent.get("malformed").asInt()
                + sent.get("invalid").asInt()
                + toppedUp.get("malformed").asInt()
                + toppedUp.get("invalid").asInt());

    checkGoldIsSilverAggregated(lakehouse);
    checkStudentsUnique(lakehouse, new ObjectMapper().readTree(Files.readString(studentsSummary)));
  }

  /**
   * Gold weather holds one row per (minute, city), and it is the aggregate of silver's rows of that
   * minute and city, whatever the killed runs wrote.
   */
  private static void checkGoldIsSilverAggregated(Path lakehouse) {
    GoldRecompute.assertWeatherByCityMatches(
        TableReader.readColumns(
            lakehouse.resolve("silver/weather").toString(),
            TableFormat.DELTA,
            List.of("event_time", "city", "temperature_c", "humidity_pct", "precipitation_mm")),
        TableReader.read(
            lakehouse.resolve("gold/weather_by_city_1m").toString(), TableFormat.DELTA),
        GoldRecompute.GoldRows.ONE_PER_WINDOW);
  }

  /** One row per student, the latest event (by event time, then Kafka offset) silver holds. */
  private static void checkStudentsUnique(Path lakehouse, JsonNode sent) {
    List<Map<String, Object>> silver =
        TableReader.read(lakehouse.resolve("silver/students").toString(), TableFormat.DELTA);
    assertThat(silver).hasSize(sent.get("valid").asInt());
    Map<Object, Map<String, Object>> latest = new HashMap<>();
    for (Map<String, Object> row : silver) {
      latest.merge(
          row.get("student_id"),
          row,
          (a, b) -> {
            int byTime =
                ((java.time.Instant) a.get("event_time"))
                    .compareTo((java.time.Instant) b.get("event_time"));
            if (byTime != 0) {
              return byTime > 0 ? a : b;
            }
            return (Long) a.get("kafka_offset") > (Long) b.get("kafka_offset") ? a : b;
          });
    }
    List<Map<String, Object>> unique =
        TableReader.read(lakehouse.resolve("gold/students_unique").toString(), TableFormat.DELTA);
    assertThat(unique).hasSize(latest.size());
    for (Map<String, Object> row : unique) {
      assertThat(row.get("event_id"))
          .as("latest event of student " + row.get("student_id"))
          .isEqualTo(latest.get(row.get("student_id")).get("event_id"));
    }
  }

  /**
   * A weather generator in a child JVM: 1 % bad, 1 % duplicates, its summary to {@code summary}.
   */
  private Process weatherGenerator(
      int events, int seed, Path summary, String log, List<String> extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=weather",
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--topic=" + TOPIC,
                "--count=" + events,
                "--seed=" + seed,
                "--badRatio=0.01",
                "--duplicateRatio=0.01"));
    args.addAll(extra);
    return Commands.childJvm(Generate.class.getName(), args)
        .redirectErrorStream(false)
        .redirectOutput(summary.toFile())
        .redirectError(work.resolve(log).toFile())
        .start();
  }

  private Process start(List<String> args, String name) throws IOException {
    List<String> onRunner = new ArrayList<>(args);
    if (RunnerUnderTest.isSpark()) {
      onRunner.add("--runner=SparkRunner");
    }
    return Commands.childJvm(Run.class.getName(), onRunner)
        .redirectOutput(work.resolve(name + ".log").toFile())
        .start();
  }

  private String log(String name) throws IOException {
    String text = Files.readString(work.resolve(name + ".log"), StandardCharsets.ISO_8859_1);
    return text.substring(Math.max(0, text.length() - 4000));
  }

  private static List<String> withDrain(List<String> run) {
    List<String> args = new ArrayList<>(run);
    args.add("--drain");
    return args;
  }

  private static long max(Set<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /** Commits in a table's log. */
  private static long commits(Path table) throws IOException {
    Path log = table.resolve("_delta_log");
    if (!Files.isDirectory(log)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(log)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
    }
  }

  private static long totalCommits(Path lakehouse) throws IOException {
    long total = 0;
    for (String table :
        List.of(
            "bronze/weather",
            "quarantine/weather",
            "silver/weather",
            "gold/weather_by_city_1m",
            "gold/students_unique")) {
      total += commits(lakehouse.resolve(table));
    }
    return total;
  }
}

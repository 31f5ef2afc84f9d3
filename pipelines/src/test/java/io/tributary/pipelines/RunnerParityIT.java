package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.generators.Generate;
import io.tributary.kafka.local.LocalKafka;
import io.tributary.pipelines.gold.GoldViews;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.testing.SharedSparkContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same drain of the same topic on the DirectRunner and on the SparkRunner ({@code local[2]})
 * writes the same bronze, silver, quarantine and gold tables, compared row by row, for every
 * registered dataset.
 *
 * <p>Two things are allowed to differ, and only those: {@code ingest_time} (bronze, and the silver
 * and quarantine rows derived from it) is the wall-clock time each runner read the record, so it is
 * left out; and DOUBLE aggregates may differ in the last bits, because each runner adds the partial
 * sums of a window in its own order, so they are compared to 1e-9 relative.
 */
class RunnerParityIT {
  static final int EVENTS = 10_000;
  static final String INGEST_TIME = "ingest_time";

  static Path work;
  static LocalKafka kafka;

  @BeforeAll
  static void startBroker() throws IOException {
    work = Files.createTempDirectory("parity-");
    kafka = LocalKafka.start(work.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static Stream<String> datasets() {
    return GoldViews.registered().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("datasets")
  void sparkWritesWhatTheDirectRunnerWrites(String dataset) throws IOException {
    String topic = "parity-" + dataset;
    run(
        Generate::run,
        "--dataset=" + dataset,
        "--bootstrapServers=" + kafka.bootstrapServers(),
        "--topic=" + topic,
        "--count=" + EVENTS,
        "--seed=5",
        "--badRatio=0.02",
        "--duplicateRatio=0.02");
    Path direct = work.resolve(dataset + "-direct");
    Path spark = work.resolve(dataset + "-spark");

    drain(dataset, topic, direct, "--runner=DirectRunner");
    SharedSparkContext.provide();
    drain(dataset, topic, spark, "--runner=SparkRunner", "--usesProvidedSparkContext=true");

    List<String> tables = tables(direct);
    assertThat(tables)
        .contains("bronze/" + dataset, "silver/" + dataset, "quarantine/" + dataset)
        .anyMatch(table -> table.startsWith("gold/"));
    assertThat(tables(spark)).isEqualTo(tables);
    for (String table : tables) {
      List<Map<String, Object>> expected = comparable(direct.resolve(table));
      List<Map<String, Object>> actual = comparable(spark.resolve(table));
      assertThat(expected).as(table).isNotEmpty();
      assertThat(actual).as(table + " rows on Spark").hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertSameRow(table, expected.get(i), actual.get(i));
      }
    }
  }

  private void drain(String dataset, String topic, Path lakehouse, String... runner) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=" + dataset,
                "--topic=" + topic,
                "--bootstrapServers=" + kafka.bootstrapServers(),
                "--lakehouse=" + lakehouse,
                "--drain"));
    args.addAll(List.of(runner));
    run(Run::run, args.toArray(String[]::new));
  }

  interface Command {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  private static void run(Command command, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        command.run(
            args,
            new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }

  /** layer/table of every table in the lakehouse, sorted. */
  private static List<String> tables(Path lakehouse) throws IOException {
    List<String> tables = new ArrayList<>();
    for (String layer : List.of("bronze", "silver", "quarantine", "gold")) {
      try (Stream<Path> children = Files.list(lakehouse.resolve(layer))) {
        children.forEach(table -> tables.add(layer + "/" + table.getFileName()));
      }
    }
    tables.sort(Comparator.naturalOrder());
    return tables;
  }

  /**
   * The table's rows without ingest_time, byte arrays as hex, sorted by their non-DOUBLE columns
   * (which identify a row in every table: a Kafka position, an event id, or a window and key).
   */
  private static List<Map<String, Object>> comparable(Path table) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> row : TableReader.read(table.toString(), TableFormat.DELTA)) {
      Map<String, Object> values = new LinkedHashMap<>(row);
      values.remove(INGEST_TIME);
      values.replaceAll(
          (column, value) ->
              value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : value);
      rows.add(values);
    }
    rows.sort(Comparator.comparing(RunnerParityIT::identity));
    return rows;
  }

  private static String identity(Map<String, Object> row) {
    StringBuilder key = new StringBuilder();
    row.forEach(
        (column, value) -> {
          if (!(value instanceof Double)) {
            key.append(column).append('=').append(value).append('|');
          }
        });
    return key.toString();
  }

  private static void assertSameRow(
      String table, Map<String, Object> expected, Map<String, Object> actual) {
    assertThat(actual.keySet()).as(table + " columns").isEqualTo(expected.keySet());
    expected.forEach(
        (column, value) -> {
          String what = table + " " + identity(expected) + " " + column;
          if (value instanceof Double d) {
            assertThat((Double) actual.get(column))
                .as(what)
                .isCloseTo(d, within(Math.max(1e-9, Math.abs(d) * 1e-9)));
          } else {
            assertThat(actual.get(column)).as(what).isEqualTo(value);
          }
        });
  }
}

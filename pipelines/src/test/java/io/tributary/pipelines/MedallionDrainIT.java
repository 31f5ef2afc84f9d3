package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.generators.Generate;
import io.tributary.pipelines.datasets.trips.Geohash;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.RunnerUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drains real topics (filled by the real generators) into a real lakehouse and checks every table
 * against the generator's summary and against gold recomputed from silver, on the runner under test
 * ({@link RunnerUnderTest}).
 */
class MedallionDrainIT {
  @TempDir Path lakehouse;
  @RegisterExtension static final Broker broker = Broker.plaintext();

  static JsonNode generate(String dataset, String topic, int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Generate.run(
            new String[] {
              "--dataset=" + dataset,
              "--bootstrapServers=" + broker.bootstrapServers(),
              "--topic=" + topic,
              "--count=" + count,
              "--seed=11",
              "--badRatio=0.01",
              "--duplicateRatio=0.01"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }

  JsonNode drain(String dataset, String topic, TableFormat format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset=" + dataset,
                "--topic=" + topic,
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--lakehouse=" + lakehouse,
                "--format=" + format.name().toLowerCase(Locale.ROOT),
                "--drain"));
    args.addAll(RunnerUnderTest.runArgs());
    int status =
        Run.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
  }

  private List<Map<String, Object>> table(String name, TableFormat format) {
    return TableReader.read(lakehouse.resolve(name).toString(), format);
  }

  /** Bronze, silver and quarantine hold exactly what the generator says it sent; returns silver. */
  private List<Map<String, Object>> checkLayers(String dataset, JsonNode sent, TableFormat format) {
    List<Map<String, Object>> bronze = table("bronze/" + dataset, format);
    assertThat(bronze).hasSize(sent.get("sent").asInt());
    Set<String> positions = new HashSet<>();
    bronze.forEach(row -> positions.add(row.get("partition") + "/" + row.get("offset")));
    assertThat(positions).as("each (partition, offset) once").hasSize(bronze.size());

    List<Map<String, Object>> silver = table("silver/" + dataset, format);
    assertThat(silver).hasSize(sent.get("valid").asInt());
    assertThat(silver.stream().map(row -> row.get("event_id")).collect(Collectors.toSet()))
        .hasSize(silver.size());

    List<Map<String, Object>> quarantine = table("quarantine/" + dataset, format);
    assertThat(quarantine).hasSize(sent.get("malformed").asInt() + sent.get("invalid").asInt());
    assertThat(quarantine.stream().filter(row -> "parse".equals(row.get("stage"))).count())
        .isEqualTo(sent.get("malformed").asLong());
    assertThat(quarantine).allSatisfy(row -> assertThat((String) row.get("reason")).isNotBlank());
    return silver;
  }

  private void checkGold(
      String view,
      List<String> keys,
      Map<String, Map<String, Object>> expected,
      TableFormat format) {
    List<Map<String, Object>> rows = table("gold/" + view, format);
    Map<String, Map<String, Object>> actual = GoldRecompute.byWindowAndKey(rows, keys);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    actual.forEach(
        (key, row) -> {
          assertThat(row.get("pane_timing")).isEqualTo("ON_TIME");
          expected
              .get(key)
              .forEach(
                  (column, value) -> {
                    if (value instanceof Double d) {
                      assertThat((Double) row.get(column))
                          .as(key + " " + column)
                          .isCloseTo(d, within(1e-6));
                    } else {
                      assertThat(row.get(column)).as(key + " " + column).isEqualTo(value);
                    }
                  });
        });
  }

  @Test
  void weatherDrainOfTwoHundredThousandEventsIsExactToTheRow() throws IOException {
    JsonNode sent = generate("weather", "drain-weather", 200_000);

    JsonNode summary = drain("weather", "drain-weather", TableFormat.DELTA);

    assertThat(summary.get("read").asLong()).isEqualTo(200_000);
    assertThat(Files.isDirectory(lakehouse.resolve("silver/weather/_delta_log"))).isTrue();
    List<Map<String, Object>> silver = checkLayers("weather", sent, TableFormat.DELTA);
    checkGold(
        "weather_by_city_1m",
        List.of("city"),
        GoldRecompute.weatherByCity(silver),
        TableFormat.DELTA);

    // A second drain with nothing new reads nothing and changes nothing.
    JsonNode again = drain("weather", "drain-weather", TableFormat.DELTA);
    assertThat(again.get("read").asLong()).isZero();
    assertThat(table("bronze/weather", TableFormat.DELTA)).hasSize(200_000);
  }

  @Test
  void studentsDrainToParquet() throws IOException {
    JsonNode sent = generate("students", "drain-students", 20_000);

    drain("students", "drain-students", TableFormat.PARQUET);

    List<Map<String, Object>> silver = checkLayers("students", sent, TableFormat.PARQUET);
    checkGold(
        "students_by_course_1m",
        List.of("course"),
        GoldRecompute.studentsByCourse(silver),
        TableFormat.PARQUET);
  }

  @Test
  void tripsDrain() throws IOException {
    JsonNode sent = generate("trips", "drain-trips", 20_000);

    drain("trips", "drain-trips", TableFormat.DELTA);

    List<Map<String, Object>> silver = checkLayers("trips", sent, TableFormat.DELTA);
    checkGold(
        "trips_by_zone_5m",
        List.of("zone"),
        GoldRecompute.tripsByZone(
            silver, e -> Geohash.encode((Double) e.get("lat"), (Double) e.get("lon"), 5)),
        TableFormat.DELTA);
  }

  @Test
  void transactionsDrainWithAlerts() throws IOException {
    JsonNode sent = generate("transactions", "drain-transactions", 20_000);

    drain("transactions", "drain-transactions", TableFormat.PARQUET);

    List<Map<String, Object>> silver = checkLayers("transactions", sent, TableFormat.PARQUET);
    checkGold(
        "transactions_by_category_1m",
        List.of("merchant_category", "currency"),
        GoldRecompute.transactionsByCategory(silver),
        TableFormat.PARQUET);
    Set<String> alerts = new HashSet<>();
    table("gold/transaction_alerts", TableFormat.PARQUET)
        .forEach(row -> alerts.add(row.get("transaction_id") + "|" + row.get("rule")));
    assertThat(alerts).isEqualTo(GoldRecompute.alerts(silver, new BigDecimal("5000.00"), 5));
    assertThat(alerts)
        .anyMatch(a -> a.endsWith("|large_amount"))
        .anyMatch(a -> a.endsWith("|burst"));
  }
}

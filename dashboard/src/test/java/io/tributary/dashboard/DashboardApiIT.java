package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON API against a lakehouse written by a real drain: every answer equals what the pipelines'
 * reader gives, no URL reaches outside the lakehouse, and reads during commits are never torn.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardApiIT {
  @RegisterExtension static final DrainedLakehouse lake = new DrainedLakehouse();

  static Dashboard dashboard;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    dashboard =
        Dashboard.start(
            lake.root().toString(),
            "127.0.0.1",
            0,
            Duration.ofSeconds(1),
            Optional.of(lake.bootstrapServers()));
    http = new Http(dashboard.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (dashboard != null) {
      dashboard.close();
    }
  }

  @Test
  void healthzAnswersWhileUp() {
    Http.Answer answer = http.get("/healthz");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("ok\n");
  }

  @Test
  void listsEveryTableWithTheReadersRowCount() {
    JsonNode answer = http.get("/api/tables").json();
    Map<String, JsonNode> tables = new HashMap<>();
    answer
        .get("tables")
        .forEach(t -> tables.put(t.get("layer").asText() + "/" + t.get("name").asText(), t));
    Set<String> expected = new TreeSet<>();
    for (String dataset : DrainedLakehouse.DATASETS) {
      expected.addAll(List.of("bronze/" + dataset, "silver/" + dataset, "quarantine/" + dataset));
    }
    expected.addAll(
        List.of(
            "gold/weather_by_city_1m",
            "gold/students_by_course_1m",
            "gold/trips_by_zone_5m",
            "gold/transactions_by_category_1m",
            "gold/transaction_alerts",
            "gold/students_unique",
            "gold/vehicles_latest"));
    assertThat(tables.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    for (String name : expected) {
      JsonNode table = tables.get(name);
      assertThat(table.get("rows").asLong())
          .as(name)
          .isEqualTo(TableReader.count(lake.root().resolve(name).toString(), TableFormat.DELTA));
      assertThat(table.get("files").asInt()).as(name).isPositive();
      assertThat(table.get("format").asText()).isEqualTo("delta");
      assertThat(Instant.parse(table.get("lastCommit").asText())).isBefore(Instant.now());
    }
    assertThat(tables.get("bronze/weather").get("rows").asLong())
        .isEqualTo(lake.summary("weather", "sent"));
    assertThat(tables.get("gold/transaction_alerts").get("dataset").asText())
        .isEqualTo("transactions");
    assertThat(tables.get("gold/weather_by_city_1m").get("dataset").asText()).isEqualTo("weather");
    assertThat(tables.get("gold/vehicles_latest").get("dataset").asText()).isEqualTo("trips");
  }

  @Test
  void goldAnswerIsTheNewestWindowsRowsAsTheReaderGivesThem() {
    JsonNode answer = http.get("/api/tables/gold/weather_by_city_1m?limit=50").json();
    assertThat(answer.get("orderedBy").asText()).isEqualTo("window_start");
    List<JsonNode> rows = new ArrayList<>();
    answer.get("newest").forEach(rows::add);
    assertThat(rows).hasSize(50);

    List<Map<String, Object>> table = lake.read("gold/weather_by_city_1m");
    Map<String, Map<String, Object>> byKey =
        table.stream()
            .collect(Collectors.toMap(r -> r.get("window_start") + "|" + r.get("city"), r -> r));
    List<Instant> windows =
        table.stream()
            .map(r -> (Instant) r.get("window_start"))
            .sorted(Comparator.reverseOrder())
            .toList();
    Instant fiftieth = windows.get(49);
    Instant previous = Instant.MAX;
    for (JsonNode row : rows) {
      Instant window = Instant.parse(row.get("window_start").asText());
      assertThat(window).isBeforeOrEqualTo(previous).isAfterOrEqualTo(fiftieth);
      previous = window;
      Map<String, Object> expected = byKey.get(window + "|" + row.get("city").asText());
      assertThat(expected).as(row.toString()).isNotNull();
      assertThat(row.get("readings").asLong()).isEqualTo((Long) expected.get("readings"));
      assertThat(row.get("avg_temperature_c").asDouble())
          .isEqualTo((Double) expected.get("avg_temperature_c"));
      assertThat(row.get("total_precipitation_mm").asDouble())
          .isEqualTo((Double) expected.get("total_precipitation_mm"));
      assertThat(row.get("pane_timing").asText()).isEqualTo(expected.get("pane_timing"));
    }
    // Every row of the newest window is there.
    long newestWindowRows = windows.stream().filter(windows.get(0)::equals).count();
    assertThat(
            rows.stream()
                .filter(r -> r.get("window_start").asText().equals(windows.get(0).toString())))
        .hasSize((int) newestWindowRows);
  }

  @Test
  void decimalsAndAlertsKeepTheirValues() {
    JsonNode answer = http.get("/api/tables/gold/transaction_alerts?limit=2000").json();
    List<Map<String, Object>> alerts = lake.read("gold/transaction_alerts");
    assertThat(answer.get("newest")).hasSize(Math.min(2000, alerts.size()));
    Map<String, Map<String, Object>> byId =
        alerts.stream()
            .collect(Collectors.toMap(a -> a.get("transaction_id") + "|" + a.get("rule"), a -> a));
    answer
        .get("newest")
        .forEach(
            alert -> {
              Map<String, Object> expected =
                  byId.get(alert.get("transaction_id").asText() + "|" + alert.get("rule").asText());
              assertThat(expected).isNotNull();
              assertThat(alert.get("amount").decimalValue())
                  .isEqualByComparingTo((java.math.BigDecimal) expected.get("amount"));
              assertThat(alert.get("detail").asText()).isEqualTo(expected.get("detail"));
            });
    assertThat(alerts).isNotEmpty();
  }

  @Test
  void limitIsCappedAndChecked() {
    JsonNode all = http.get("/api/tables/bronze/weather?limit=1000000").json();
    assertThat(all.get("limit").asInt()).isEqualTo(Tables.MAX_LIMIT);
    assertThat(all.get("newest")).hasSize(Tables.MAX_LIMIT);
    assertThat(all.get("rows").asLong()).isEqualTo(lake.summary("weather", "sent"));
    assertThat(http.get("/api/tables/bronze/weather").json().get("newest")).hasSize(100);
    for (String bad : List.of("0", "-5", "ten", "")) {
      assertThat(http.get("/api/tables/bronze/weather?limit=" + bad).status())
          .as(bad)
          .isEqualTo(400);
    }
  }

  @Test
  void unchangedTableAnswers304ToItsETag() {
    Http.Answer first = http.get("/api/tables/silver/students?limit=10");
    String etag = first.headers().get("etag");
    assertThat(etag).isNotBlank();
    Http.Answer again =
        http.send("GET", "/api/tables/silver/students?limit=10", Map.of("If-None-Match", etag));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void healthCountsQuarantineByRuleAndLag() {
    JsonNode report = http.get("/api/health").json();
    JsonNode weather = null;
    for (JsonNode d : report.get("datasets")) {
      if (d.get("dataset").asText().equals("weather")) {
        weather = d;
      }
    }
    assertThat(weather).isNotNull();
    List<Map<String, Object>> quarantine = lake.read("quarantine/weather");
    Map<String, Long> byRule =
        quarantine.stream()
            .collect(
                Collectors.groupingBy(r -> String.valueOf(r.get("rule")), Collectors.counting()));
    Map<String, Long> shown = new HashMap<>();
    weather
        .get("quarantineByRule")
        .forEach(
            r -> {
              shown.put(r.get("rule").asText(), r.get("rows").asLong());
              assertThat(r.get("samples").size()).isBetween(1, TableHealth.SAMPLES_PER_RULE);
              assertThat(r.get("samples").get(0).get("reason").asText()).isNotBlank();
            });
    assertThat(shown).isEqualTo(byRule);
    assertThat(weather.get("quarantineRows").asLong())
        .isEqualTo(lake.summary("weather", "malformed") + lake.summary("weather", "invalid"));
    assertThat(weather.get("quarantineShare").asDouble())
        .isCloseTo((double) quarantine.size() / lake.summary("weather", "sent"), within(1e-5));
    // After a drain every table has accounted for every record of the topic.
    JsonNode lag = weather.get("lag").get("tables");
    for (String layer : List.of("bronze", "silver", "quarantine")) {
      assertThat(lag.get(layer)).as(layer).hasSize(4);
      lag.get(layer).forEach(p -> assertThat(p.get("lag").asLong()).isZero());
    }
    report
        .get("tables")
        .forEach(t -> assertThat(t.get("freshnessSeconds").asLong()).isNotNegative());
  }

  @Test
  void noUrlReachesOutsideTheLakehouse() throws Exception {
    // A real table next to the lakehouse, which a traversal would reach.
    java.nio.file.Path outside = lake.root().getParent().resolve("outside");
    java.nio.file.Files.createDirectories(outside);
    for (String target :
        List.of(
            "/api/tables/gold/..%2F..%2Foutside",
            "/api/tables/gold/..%2fsilver%2fweather",
            "/api/tables/..%2Fgold/weather_by_city_1m",
            "/api/tables/gold/%2e%2e",
            "/api/tables/gold/../../outside",
            "/api/tables/gold/../silver/weather",
            "/api/tables/silver/weather/..",
            "/api/tables//etc/passwd",
            "/api/tables/gold//etc/passwd",
            "/api/tables/gold/%2Fetc%2Fpasswd",
            "/api/tables/%2Fetc/passwd",
            "/api/tables/gold/WEATHER_BY_CITY_1M",
            "/api/tables/kafka/meta",
            "/api/tables/gold/_delta_log",
            "/api/tables/gold",
            "/../../etc/passwd",
            "/static/../../pom.xml",
            "/static/%2e%2e/%2e%2e/pom.xml",
            "/static/app.js/..",
            "/weather/..%2F..%2Fetc%2Fpasswd",
            "/" + lake.root() + "/bronze/weather",
            "/api/tables/bronze/" + lake.root().resolve("bronze/weather"))) {
      Http.Answer answer = http.get(target);
      assertThat(answer.status()).as(target).isEqualTo(404);
      assertThat(answer.body()).as(target).doesNotContain("root:", "window_start", "\"newest\"");
    }
    // A NUL byte is refused by Jetty itself, before any routing.
    Http.Answer nul = http.get("/api/tables/gold/weather_by_city_1m%00");
    assertThat(nul.status()).isIn(400, 404);
    assertThat(nul.body()).doesNotContain("window_start");
  }

  @Test
  void readsParquetLakehousesToo(@TempDir Path parquet) throws Exception {
    lake.drain("weather", parquet, TableFormat.PARQUET);
    try (Dashboard other =
        Dashboard.start(
            parquet.toString(), "127.0.0.1", 0, Duration.ofSeconds(1), Optional.empty())) {
      Http http = new Http(other.port());
      JsonNode tables = http.get("/api/tables").json().get("tables");
      assertThat(tables).hasSize(4);
      tables.forEach(
          t -> {
            String name = t.get("layer").asText() + "/" + t.get("name").asText();
            assertThat(t.get("format").asText()).isEqualTo("parquet");
            assertThat(t.get("rows").asLong())
                .as(name)
                .isEqualTo(
                    TableReader.count(parquet.resolve(name).toString(), TableFormat.PARQUET));
          });
      JsonNode gold = http.get("/api/tables/gold/weather_by_city_1m?limit=20").json();
      Instant newest =
          TableReader.read(
                  parquet.resolve("gold/weather_by_city_1m").toString(), TableFormat.PARQUET)
              .stream()
              .map(r -> (Instant) r.get("window_start"))
              .max(Comparator.naturalOrder())
              .orElseThrow();
      assertThat(gold.get("newest").get(0).get("window_start").asText())
          .isEqualTo(newest.toString());
      assertThat(
              http.get("/api/health").json().get("datasets").get(0).get("quarantineRows").asLong())
          .isEqualTo(lake.summary("weather", "malformed") + lake.summary("weather", "invalid"));
    }
  }

  @Test
  void nothingCanBeWritten() {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      for (String target : List.of("/api/tables/gold/weather_by_city_1m", "/api/tables", "/")) {
        assertThat(http.send(method, target, Map.of()).status())
            .as(method + " " + target)
            .isEqualTo(405);
      }
    }
  }

  /**
   * A drain commits bronze once: while it runs, every answer has either the rows before or the rows
   * after, never a mix, and never an error.
   */
  @Test
  @Order(Integer.MAX_VALUE) // writes: the other tests see the lakehouse as first drained
  void readsDuringCommitsAreNeverTorn() throws Exception {
    long before = http.get("/api/tables/bronze/students?limit=1").json().get("rows").asLong();
    AtomicBoolean draining = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      List<Future<Set<Long>>> seen = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        seen.add(
            readers.submit(
                () -> {
                  Set<Long> rows = new TreeSet<>();
                  while (draining.get()) {
                    Http.Answer answer = http.get("/api/tables/bronze/students?limit=5");
                    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                    rows.add(answer.json().get("rows").asLong());
                    JsonNode all = http.get("/api/tables").json();
                    all.get("tables")
                        .forEach(
                            t -> {
                              if (t.get("name").asText().equals("students")
                                  && t.get("layer").asText().equals("bronze")) {
                                rows.add(t.get("rows").asLong());
                              }
                            });
                  }
                  return rows;
                }));
      }
      JsonNode added = lake.addBatch("students", 2_000, DrainedLakehouse.START.plusSeconds(600));
      // Let the readers see the new version too.
      long after = before + added.get("sent").asLong();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (http.get("/api/tables/bronze/students?limit=1").json().get("rows").asLong() != after
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      draining.set(false);
      Set<Long> rows = new TreeSet<>();
      for (Future<Set<Long>> f : seen) {
        rows.addAll(f.get());
      }
      assertThat(rows).isSubsetOf(before, after).contains(before);
      assertThat(http.get("/api/tables/bronze/students?limit=1").json().get("rows").asLong())
          .isEqualTo(after);
    } finally {
      draining.set(false);
      readers.shutdownNow();
    }
  }
}

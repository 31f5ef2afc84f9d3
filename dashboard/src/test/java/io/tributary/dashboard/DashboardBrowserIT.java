package io.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every page in a real headless Chromium against a lakehouse written by a real drain: the charts
 * are drawn, the numbers shown for the newest gold window are the table's, and the page follows new
 * commits without a reload. Screenshots go to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Checked before the lakehouse is written: without a browser there is nothing to drain for.
@EnabledIf(
    value = "io.tributary.dashboard.Chromium#installed",
    disabledReason =
        "SKIPPED: no chromium on this machine, so the pages were not tested in a browser. Install"
            + " Debian's package (apt-get install -y chromium; .ci/run does) or set $CHROMIUM.")
class DashboardBrowserIT {
  @RegisterExtension static final DrainedLakehouse lake = new DrainedLakehouse();

  private static final Duration PAGE_TIMEOUT =
      Duration.ofSeconds(120); // generous: two shared cores
  static final Path SCREENSHOTS =
      Path.of(System.getProperty("tributary.dashboard.screenshots", "target/screenshots"));

  static Dashboard dashboard;
  static Chromium browser;

  @BeforeAll
  static void start() throws Exception {
    Path chromium = Chromium.binary().orElseThrow();
    dashboard =
        Dashboard.start(
            lake.root().toString(),
            "127.0.0.1",
            0,
            Duration.ofSeconds(1),
            Optional.of(lake.bootstrapServers()));
    browser = new Chromium(chromium);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (dashboard != null) {
        dashboard.close();
      }
    }
  }

  /** Loads a page and waits until it has drawn {@code charts} charts, each with data. */
  private static void open(String path, int charts) throws Exception {
    browser.navigate(dashboard.url() + path.substring(1));
    browser.await(
        "window.dashboard && window.dashboard.ready && window.dashboard.page",
        v -> !v.isMissingNode() && !v.isNull() && v.asText().length() > 0,
        PAGE_TIMEOUT);
    JsonNode drawn =
        browser.await(
            "Array.from(document.querySelectorAll('canvas')).filter(c => {"
                + " const chart = Chart.getChart(c);"
                + " return chart && chart.data.datasets.some(d => d.data.length > 0); }).length",
            v -> v.asInt() >= charts,
            PAGE_TIMEOUT);
    assertThat(drawn.asInt()).isGreaterThanOrEqualTo(charts);
    assertThat(browser.evaluate("window.dashboard.error").isNull()).isTrue();
  }

  private static String text(String selector) throws Exception {
    return browser
        .evaluate(
            "document.querySelector(\""
                + selector.replace("\"", "\\\"")
                + "\")?.textContent ?? null")
        .asText(null);
  }

  private static void screenshot(String name) throws Exception {
    browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
  }

  /** The value the page shows for one key and field of the newest window. */
  private static double shown(String key, String field) throws Exception {
    String value = text("td[data-key=\"" + key + "\"][data-field=\"" + field + "\"]");
    assertThat(value).as(key + " " + field).isNotNull();
    return Double.parseDouble(value);
  }

  private static Map<String, Object> goldRow(
      String view, String window, String keyColumn, String key) {
    return lake.read("gold/" + view).stream()
        .filter(
            r -> r.get("window_start").toString().equals(window) && key.equals(r.get(keyColumn)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no gold row " + window + " " + key));
  }

  private static Instant newestWindow(String view) {
    return lake.read("gold/" + view).stream()
        .map(r -> (Instant) r.get("window_start"))
        .max(Comparator.naturalOrder())
        .orElseThrow();
  }

  @Test
  @Order(1)
  void weatherPageShowsTheNewestMinuteOfGold() throws Exception {
    open("/weather", 3);
    String window = text("#newest-window");
    assertThat(window).isEqualTo(newestWindow("weather_by_city_1m").toString());
    Map<String, Object> madrid = goldRow("weather_by_city_1m", window, "city", "Madrid");
    assertThat(shown("Madrid", "avg_temperature_c"))
        .isCloseTo((Double) madrid.get("avg_temperature_c"), within(0.0051));
    assertThat(shown("Madrid", "readings"))
        .isEqualTo(((Long) madrid.get("readings")).doubleValue());
    assertThat(shown("Madrid", "total_precipitation_mm"))
        .isCloseTo((Double) madrid.get("total_precipitation_mm"), within(0.0051));
    screenshot("weather");
  }

  @Test
  @Order(2)
  void studentsPageShowsGradesPerCourse() throws Exception {
    open("/students", 2);
    String window = text("#newest-window");
    assertThat(window).isEqualTo(newestWindow("students_by_course_1m").toString());
    Map<String, Object> row =
        lake.read("gold/students_by_course_1m").stream()
            .filter(r -> r.get("window_start").toString().equals(window))
            .min(Comparator.comparing(r -> (String) r.get("course")))
            .orElseThrow();
    assertThat(shown((String) row.get("course"), "avg_grade"))
        .isCloseTo((Double) row.get("avg_grade"), within(0.0051));
    assertThat(shown((String) row.get("course"), "events"))
        .isEqualTo(((Long) row.get("events")).doubleValue());
    screenshot("students");
  }

  @Test
  @Order(3)
  void tripsPageShowsZonesAndVehicles() throws Exception {
    open("/trips", 3);
    String window = text("#newest-window");
    assertThat(window).isEqualTo(newestWindow("trips_by_zone_5m").toString());
    Map<String, Object> row =
        lake.read("gold/trips_by_zone_5m").stream()
            .filter(r -> r.get("window_start").toString().equals(window))
            .min(Comparator.comparing(r -> (String) r.get("zone")))
            .orElseThrow();
    assertThat(shown((String) row.get("zone"), "trips_started"))
        .isEqualTo(((Long) row.get("trips_started")).doubleValue());
    JsonNode vehicles =
        browser.evaluate(
            "Chart.getChart('vehicles-map-canvas').data.datasets"
                + ".reduce((n, d) => n + d.data.length, 0)");
    assertThat(vehicles.asInt()).isEqualTo(Math.min(500, lake.read("gold/vehicles_latest").size()));
    // One series per city.
    assertThat(
            browser.evaluate("Chart.getChart('vehicles-map-canvas').data.datasets.length").asInt())
        .isEqualTo(5);
    screenshot("trips");
  }

  @Test
  @Order(4)
  void transactionsPageListsTheNewestAlerts() throws Exception {
    open("/transactions", 2);
    String window = text("#newest-window");
    Map<String, Object> row =
        lake.read("gold/transactions_by_category_1m").stream()
            .filter(r -> r.get("window_start").toString().equals(window))
            .min(Comparator.comparing(r -> r.get("merchant_category") + " " + r.get("currency")))
            .orElseThrow();
    String key = row.get("merchant_category") + " " + row.get("currency");
    assertThat(shown(key, "total_amount"))
        .isCloseTo(((java.math.BigDecimal) row.get("total_amount")).doubleValue(), within(0.0051));
    List<Map<String, Object>> alerts = lake.read("gold/transaction_alerts");
    assertThat(
            browser.evaluate("document.querySelectorAll('#alerts-table tbody tr').length").asInt())
        .isEqualTo(Math.min(50, alerts.size()));
    Map<String, Object> newest =
        alerts.stream().max(Comparator.comparing(a -> (Instant) a.get("event_time"))).orElseThrow();
    assertThat(
            browser
                .evaluate("document.querySelector('#alerts-table tbody tr td').textContent")
                .asText())
        .isEqualTo(newest.get("event_time").toString());
    screenshot("transactions");
  }

  @Test
  @Order(5)
  void healthPageShowsEveryTableAndQuarantineReasons() throws Exception {
    open("/health", 2);
    browser.await(
        "document.querySelectorAll('#health-tables tbody tr').length",
        v -> v.asInt() == 19,
        PAGE_TIMEOUT);
    long bronze = lake.read("bronze/weather").size();
    assertThat(text("#health-tables td[data-table=\"bronze/weather\"]"))
        .isEqualTo(String.valueOf(bronze));
    Map<String, Long> rules =
        lake.read("quarantine/trips").stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    r -> String.valueOf(r.get("rule")), java.util.stream.Collectors.counting()));
    rules.forEach(
        (rule, rows) -> {
          try {
            assertThat(text("td[data-dataset=\"trips\"][data-rule=\"" + rule + "\"]"))
                .isEqualTo(String.valueOf(rows));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    screenshot("health");
    open("/", 1);
    screenshot("overview");
  }

  /** While a drain commits new events, the open page moves to the newer window by itself. */
  @Test
  @Order(6)
  void newestWindowAdvancesWhileTablesAreWritten() throws Exception {
    open("/weather", 3);
    String before = text("#newest-window");
    int rendersBefore = browser.evaluate("window.dashboard.renders").asInt();
    // Three thousand weather events cover 12.5 minutes: these start after them.
    lake.addBatch("weather", 1_000, DrainedLakehouse.START.plus(Duration.ofMinutes(30)));
    Instant expected = newestWindow("weather_by_city_1m");
    assertThat(expected).isAfter(Instant.parse(before));
    JsonNode after =
        browser.await(
            "document.querySelector('#newest-window').textContent",
            v -> v.asText().equals(expected.toString()),
            PAGE_TIMEOUT);
    assertThat(after.asText()).isEqualTo(expected.toString());
    assertThat(browser.evaluate("window.dashboard.renders").asInt()).isGreaterThan(rendersBefore);
    Map<String, Object> madrid =
        goldRow("weather_by_city_1m", expected.toString(), "city", "Madrid");
    assertThat(shown("Madrid", "avg_temperature_c"))
        .isCloseTo((Double) madrid.get("avg_temperature_c"), within(0.0051));
    screenshot("weather-after-new-commits");
  }
}

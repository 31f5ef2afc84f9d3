package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Recomputes gold views from silver rows with plain Java, as a batch job over all of silver would:
 * the reference a drain's gold tables must equal.
 */
final class GoldRecompute {
  private GoldRecompute() {}

  /** Rows of a view keyed by "window_start|key…". */
  static Map<String, Map<String, Object>> byWindowAndKey(
      List<Map<String, Object>> goldRows, List<String> keyColumns) {
    Map<String, Map<String, Object>> byKey = new TreeMap<>();
    for (Map<String, Object> row : goldRows) {
      String key =
          key((Instant) row.get("window_start"), keyColumns.stream().map(row::get).toList());
      if (byKey.put(key, row) != null) {
        throw new AssertionError("more than one gold row for " + key);
      }
    }
    return byKey;
  }

  static String key(Instant windowStart, List<Object> keys) {
    StringBuilder key = new StringBuilder(windowStart.toString());
    keys.forEach(k -> key.append('|').append(k));
    return key.toString();
  }

  static Instant windowStart(Instant eventTime, long windowMinutes) {
    long size = windowMinutes * 60_000;
    return Instant.ofEpochMilli(Math.floorDiv(eventTime.toEpochMilli(), size) * size);
  }

  private static <A> Map<String, A> group(
      List<Map<String, Object>> silver,
      long windowMinutes,
      Function<Map<String, Object>, List<Object>> keyOf,
      Function<String, A> newAccumulator,
      java.util.function.BiConsumer<A, Map<String, Object>> add) {
    Map<String, A> groups = new TreeMap<>();
    for (Map<String, Object> event : silver) {
      String key =
          key(windowStart((Instant) event.get("event_time"), windowMinutes), keyOf.apply(event));
      add.accept(groups.computeIfAbsent(key, newAccumulator), event);
    }
    return groups;
  }

  static Map<String, Map<String, Object>> weatherByCity(List<Map<String, Object>> silver) {
    Map<String, List<Map<String, Object>>> groups =
        group(silver, 1, e -> List.of(e.get("city")), k -> new ArrayList<>(), List::add);
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    groups.forEach(
        (key, events) -> {
          Map<String, Object> row = new HashMap<>();
          row.put("readings", (long) events.size());
          row.put(
              "avg_temperature_c",
              events.stream()
                  .mapToDouble(e -> (Double) e.get("temperature_c"))
                  .average()
                  .orElseThrow());
          row.put(
              "min_temperature_c",
              events.stream()
                  .mapToDouble(e -> (Double) e.get("temperature_c"))
                  .min()
                  .orElseThrow());
          row.put(
              "max_temperature_c",
              events.stream()
                  .mapToDouble(e -> (Double) e.get("temperature_c"))
                  .max()
                  .orElseThrow());
          row.put(
              "avg_humidity_pct",
              events.stream()
                  .mapToDouble(e -> (Double) e.get("humidity_pct"))
                  .average()
                  .orElseThrow());
          row.put(
              "total_precipitation_mm",
              events.stream().mapToDouble(e -> (Double) e.get("precipitation_mm")).sum());
          expected.put(key, row);
        });
    return expected;
  }

  /** What gold weather rows {@link #assertWeatherByCityMatches} expects. */
  enum GoldRows {
    /** One row per window and city, for every window and city silver holds (a drain's gold). */
    ONE_PER_WINDOW,
    /** The latest pane of each window and city, for every window and city silver holds. */
    LATEST_PANES_EVERY_WINDOW,
    /** The latest pane of each window and city gold holds so far (a stream still running). */
    LATEST_PANES_SO_FAR
  }

  /**
   * Asserts that the gold weather rows ({@code weather_by_city_1m}) equal a batch recompute over
   * silver: per window and city the readings, the minimum and maximum temperature exactly, and the
   * average temperature within rounding.
   *
   * @param silver silver's weather rows, at least event_time, city, temperature_c, humidity_pct and
   *     precipitation_mm
   */
  static void assertWeatherByCityMatches(
      List<Map<String, Object>> silver, List<Map<String, Object>> gold, GoldRows rows) {
    Map<String, Map<String, Object>> expected = weatherByCity(silver);
    Map<String, Map<String, Object>> actual =
        rows == GoldRows.ONE_PER_WINDOW
            ? byWindowAndKey(gold, List.of("city"))
            : latestPanes(gold, List.of("city"));
    assertThat(actual).as("gold weather rows").isNotEmpty();
    if (rows != GoldRows.LATEST_PANES_SO_FAR) {
      assertThat(actual.keySet()).as("gold's windows and cities").isEqualTo(expected.keySet());
    }
    actual.forEach(
        (key, row) -> {
          assertThat(expected).as("silver's windows and cities").containsKey(key);
          Map<String, Object> want = expected.get(key);
          assertThat(row.get("readings")).as(key).isEqualTo(want.get("readings"));
          assertThat(row.get("min_temperature_c")).as(key).isEqualTo(want.get("min_temperature_c"));
          assertThat(row.get("max_temperature_c")).as(key).isEqualTo(want.get("max_temperature_c"));
          assertThat((Double) row.get("avg_temperature_c"))
              .as(key)
              .isCloseTo((Double) want.get("avg_temperature_c"), within(1e-9));
        });
  }

  /** The row of each window and key with the highest pane index, keyed as {@link #key}. */
  static Map<String, Map<String, Object>> latestPanes(
      List<Map<String, Object>> goldRows, List<String> keyColumns) {
    Map<String, Map<String, Object>> latest = new TreeMap<>();
    for (Map<String, Object> row : goldRows) {
      latest.merge(
          key((Instant) row.get("window_start"), keyColumns.stream().map(row::get).toList()),
          row,
          (a, b) -> (long) a.get("pane_index") >= (long) b.get("pane_index") ? a : b);
    }
    return latest;
  }

  static Map<String, Map<String, Object>> studentsByCourse(List<Map<String, Object>> silver) {
    Map<String, List<Map<String, Object>>> groups =
        group(silver, 1, e -> List.of(e.get("course")), k -> new ArrayList<>(), List::add);
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    groups.forEach(
        (key, events) -> {
          Set<Object> students = new HashSet<>();
          events.forEach(e -> students.add(e.get("student_id")));
          Map<String, Object> row = new HashMap<>();
          row.put("events", (long) events.size());
          row.put("distinct_students", (long) students.size());
          row.put(
              "avg_grade",
              events.stream().mapToDouble(e -> (Double) e.get("grade")).average().orElseThrow());
          expected.put(key, row);
        });
    return expected;
  }

  static Map<String, Map<String, Object>> tripsByZone(
      List<Map<String, Object>> silver, Function<Map<String, Object>, String> zoneOf) {
    Map<String, List<Map<String, Object>>> groups =
        group(silver, 5, e -> List.of(zoneOf.apply(e)), k -> new ArrayList<>(), List::add);
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    groups.forEach(
        (key, events) -> {
          Map<String, Object> row = new HashMap<>();
          row.put(
              "trips_started",
              events.stream().filter(e -> "start".equals(e.get("event_type"))).count());
          row.put(
              "trips_ended",
              events.stream().filter(e -> "end".equals(e.get("event_type"))).count());
          row.put(
              "avg_speed_kmh",
              events.stream()
                  .mapToDouble(e -> (Double) e.get("speed_kmh"))
                  .average()
                  .orElseThrow());
          row.put(
              "total_distance_km",
              events.stream()
                  .filter(e -> "end".equals(e.get("event_type")))
                  .mapToDouble(e -> (Double) e.get("distance_km"))
                  .sum());
          row.put(
              "total_fare",
              events.stream()
                  .filter(e -> "end".equals(e.get("event_type")))
                  .mapToDouble(e -> (Double) e.get("fare"))
                  .sum());
          expected.put(key, row);
        });
    return expected;
  }

  static Map<String, Map<String, Object>> transactionsByCategory(List<Map<String, Object>> silver) {
    Map<String, List<Map<String, Object>>> groups =
        group(
            silver,
            1,
            e -> List.of(e.get("merchant_category"), e.get("currency")),
            k -> new ArrayList<>(),
            List::add);
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    groups.forEach(
        (key, events) -> {
          BigDecimal total =
              events.stream()
                  .map(e -> (BigDecimal) e.get("amount"))
                  .reduce(BigDecimal.ZERO, BigDecimal::add);
          Map<String, Object> row = new HashMap<>();
          row.put("transactions", (long) events.size());
          row.put("total_amount", total.setScale(2));
          row.put(
              "avg_amount",
              total.divide(BigDecimal.valueOf(events.size()), 2, RoundingMode.HALF_EVEN));
          row.put(
              "max_amount",
              events.stream()
                  .map(e -> (BigDecimal) e.get("amount"))
                  .max(BigDecimal::compareTo)
                  .orElseThrow());
          expected.put(key, row);
        });
    return expected;
  }

  /** transaction_id|rule of every alert a batch computation raises. */
  static Set<String> alerts(
      List<Map<String, Object>> silver, BigDecimal threshold, int burstLimit) {
    Set<String> alerts = new HashSet<>();
    Map<String, List<Map<String, Object>>> byAccountMinute =
        group(silver, 1, e -> List.of(e.get("account_id")), k -> new ArrayList<>(), List::add);
    for (Map<String, Object> event : silver) {
      if (((BigDecimal) event.get("amount")).compareTo(threshold) > 0) {
        alerts.add(event.get("transaction_id") + "|large_amount");
      }
    }
    byAccountMinute.values().stream()
        .filter(events -> events.size() > burstLimit)
        .forEach(events -> events.forEach(e -> alerts.add(e.get("transaction_id") + "|burst")));
    return alerts;
  }
}

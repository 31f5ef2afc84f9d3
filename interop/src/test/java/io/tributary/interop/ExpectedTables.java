package io.tributary.interop;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.types.StructType;

/**
 * Every table a drain of the four datasets writes, with the columns Spark must see: name and Spark
 * SQL type, in order (the README's table descriptions and contracts). Written out by hand rather
 * than taken from the Delta log, so that a type Spark reads differently from what we meant (a
 * TIMESTAMP_NTZ for a UTC instant, an INT for an offset, a DOUBLE for an amount) fails here.
 */
final class ExpectedTables {
  static final List<String> DATASETS = List.of("weather", "students", "trips", "transactions");

  private static final String BRONZE =
      "key BINARY, value BINARY, topic STRING, partition INT, offset BIGINT,"
          + " kafka_timestamp TIMESTAMP, ingest_time TIMESTAMP";
  private static final String QUARANTINE =
      "payload BINARY, key BINARY, topic STRING, partition INT, offset BIGINT,"
          + " kafka_timestamp TIMESTAMP, stage STRING, rule STRING, field STRING, reason STRING,"
          + " ingest_time TIMESTAMP";
  private static final String KAFKA_POSITION =
      ", kafka_partition INT, kafka_offset BIGINT, ingest_time TIMESTAMP";
  private static final Map<String, String> SILVER =
      Map.of(
          "weather",
          "event_id STRING, station_id STRING, city STRING, country STRING, lat DOUBLE, lon DOUBLE,"
              + " event_time TIMESTAMP, temperature_c DOUBLE, humidity_pct DOUBLE,"
              + " pressure_hpa DOUBLE, wind_speed_ms DOUBLE, precipitation_mm DOUBLE,"
              + " conditions STRING",
          "students",
          "event_id STRING, student_id INT, first_name STRING, last_name STRING, email STRING,"
              + " age INT, course STRING, grade DOUBLE, city STRING, event_time TIMESTAMP",
          "trips",
          "event_id STRING, trip_id STRING, vehicle_id STRING, event_type STRING,"
              + " event_time TIMESTAMP, lat DOUBLE, lon DOUBLE, speed_kmh DOUBLE,"
              + " distance_km DOUBLE, fare DOUBLE, city STRING",
          "transactions",
          "event_id STRING, transaction_id STRING, account_id STRING, event_time TIMESTAMP,"
              + " amount DECIMAL(18,2), currency STRING, merchant STRING,"
              + " merchant_category STRING, channel STRING, country STRING, card_present BOOLEAN");

  /** A windowed gold view: its key columns, window width and measure columns. */
  record GoldView(String name, List<String> keys, Duration window, String measures) {
    String table() {
      return "gold/" + name;
    }

    String schema() {
      return "window_start TIMESTAMP, window_end TIMESTAMP, "
          + keys.stream().map(key -> key + " STRING, ").reduce("", String::concat)
          + measures
          + ", pane_index BIGINT, pane_timing STRING, computed_at TIMESTAMP";
    }
  }

  static final List<GoldView> WINDOWED_VIEWS =
      List.of(
          new GoldView(
              "weather_by_city_1m",
              List.of("city"),
              Duration.ofMinutes(1),
              "readings BIGINT, avg_temperature_c DOUBLE, min_temperature_c DOUBLE,"
                  + " max_temperature_c DOUBLE, avg_humidity_pct DOUBLE,"
                  + " total_precipitation_mm DOUBLE"),
          new GoldView(
              "students_by_course_1m",
              List.of("course"),
              Duration.ofMinutes(1),
              "events BIGINT, distinct_students BIGINT, avg_grade DOUBLE"),
          new GoldView(
              "trips_by_zone_5m",
              List.of("zone"),
              Duration.ofMinutes(5),
              "trips_started BIGINT, trips_ended BIGINT, avg_speed_kmh DOUBLE,"
                  + " total_distance_km DOUBLE, total_fare DOUBLE"),
          new GoldView(
              "transactions_by_category_1m",
              List.of("merchant_category", "currency"),
              Duration.ofMinutes(1),
              "transactions BIGINT, total_amount DECIMAL(18,2), avg_amount DECIMAL(18,2),"
                  + " max_amount DECIMAL(18,2)"));

  static final String ALERTS = "gold/transaction_alerts";
  private static final String ALERTS_SCHEMA =
      "transaction_id STRING, account_id STRING, event_time TIMESTAMP, amount DECIMAL(18,2),"
          + " currency STRING, rule STRING, detail STRING, window_start TIMESTAMP,"
          + " window_end TIMESTAMP, pane_index BIGINT, computed_at TIMESTAMP";

  private ExpectedTables() {}

  /** Every table (relative to the lakehouse root) with its columns as "name TYPE". */
  static Map<String, List<String>> schemas() {
    Map<String, List<String>> schemas = new LinkedHashMap<>();
    for (String dataset : DATASETS) {
      schemas.put("bronze/" + dataset, columns(BRONZE));
      schemas.put("silver/" + dataset, columns(SILVER.get(dataset) + KAFKA_POSITION));
      schemas.put("quarantine/" + dataset, columns(QUARANTINE));
    }
    WINDOWED_VIEWS.forEach(view -> schemas.put(view.table(), columns(view.schema())));
    schemas.put(ALERTS, columns(ALERTS_SCHEMA));
    // Latest-state tables carry silver's columns.
    schemas.put("gold/students_unique", columns(SILVER.get("students") + KAFKA_POSITION));
    schemas.put("gold/vehicles_latest", columns(SILVER.get("trips") + KAFKA_POSITION));
    return schemas;
  }

  /** A schema as Spark sees it: "name TYPE" per column, in order, nullability aside. */
  static List<String> columns(StructType schema) {
    return Stream.of(schema.fields())
        .map(field -> field.name() + " " + field.dataType().sql())
        .toList();
  }

  private static List<String> columns(String ddl) {
    return columns(StructType.fromDDL(ddl));
  }
}

package io.tributary.pipelines.datasets.weather;

import io.tributary.pipelines.combine.CombinePerKey;
import io.tributary.pipelines.gold.Aggregate;
import io.tributary.pipelines.gold.FormatViewRows;
import io.tributary.pipelines.gold.GoldWindows;
import java.util.List;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Weather per city and minute of event time ({@value #VIEW}): readings, temperature average,
 * minimum and maximum, average humidity and total precipitation.
 *
 * <p>Input: weather silver rows timestamped with their event time. Output panes follow {@link
 * GoldWindows}: one ON_TIME row per (window, city), then a LATE row with the accumulated values for
 * each late reading within the allowed lateness.
 */
public final class ComputeCityWeather extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String VIEW = "weather_by_city_1m";
  public static final Duration WINDOW_SIZE = Duration.standardMinutes(1);

  public static final Schema SCHEMA =
      GoldWindows.viewSchema(
          Field.of("city", FieldType.STRING),
          Field.of("readings", FieldType.INT64),
          Field.of("avg_temperature_c", FieldType.DOUBLE),
          Field.of("min_temperature_c", FieldType.DOUBLE),
          Field.of("max_temperature_c", FieldType.DOUBLE),
          Field.of("avg_humidity_pct", FieldType.DOUBLE),
          Field.of("total_precipitation_mm", FieldType.DOUBLE));

  private final Duration allowedLateness;

  public ComputeCityWeather(Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> readings) {
    return readings
        .apply(
            "KeyByCity",
            WithKeys.of((Row reading) -> reading.getString("city"))
                .withKeyType(TypeDescriptors.strings()))
        .apply(
            "WindowByMinute", GoldWindows.<KV<String, Row>>tumbling(WINDOW_SIZE, allowedLateness))
        .apply("CombineReadings", CombinePerKey.of(Aggregate.combineFn(Totals.EMPTY)))
        .apply(
            "FormatRows",
            FormatViewRows.of(
                SCHEMA,
                (String city, Totals totals) ->
                    List.of(
                        city,
                        totals.readings(),
                        totals.temperatureSumC() / totals.readings(),
                        totals.minTemperatureC(),
                        totals.maxTemperatureC(),
                        totals.humiditySumPct() / totals.readings(),
                        totals.precipitationMm())));
  }

  /**
   * One city's readings in one window. Immutable, so that it can be both the accumulator and the
   * result without a pane's output being changed by a later addition.
   */
  @DefaultCoder(SerializableCoder.class)
  record Totals(
      long readings,
      double temperatureSumC,
      double minTemperatureC,
      double maxTemperatureC,
      double humiditySumPct,
      double precipitationMm)
      implements Aggregate<Totals> {
    static final Totals EMPTY =
        new Totals(0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0);

    @Override
    public Totals add(Row reading) {
      double temperatureC = reading.getDouble("temperature_c");
      return merge(
          new Totals(
              1,
              temperatureC,
              temperatureC,
              temperatureC,
              reading.getDouble("humidity_pct"),
              reading.getDouble("precipitation_mm")));
    }

    @Override
    public Totals merge(Totals other) {
      return new Totals(
          readings + other.readings,
          temperatureSumC + other.temperatureSumC,
          Math.min(minTemperatureC, other.minTemperatureC),
          Math.max(maxTemperatureC, other.maxTemperatureC),
          humiditySumPct + other.humiditySumPct,
          precipitationMm + other.precipitationMm);
    }
  }
}

package io.tributary.pipelines.datasets.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.UUID;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;

public class ComputeCityWeatherTest {
  private static final Schema SILVER = SilverSchema.of(Contract.forDataset("weather"));
  private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
  private static final Duration ALLOWED_LATENESS = Duration.standardMinutes(2);
  private static final Instant WINDOW_END = BASE.plus(Duration.standardMinutes(1));

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Category(UsesTestStream.class)
  @Test
  public void readingsInAWindowGiveOneOnTimeRowPerCity() {
    TestStream<Row> readings =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(
                event("Madrid", 5, 20.0, 40.0, 0.5),
                event("Madrid", 35, 23.0, 50.0, 1.0),
                event("Oslo", 50, -2.5, 80.0, 0.0))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(readings).apply(new ComputeCityWeather(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "Madrid", 2, 21.5, 20.0, 23.0, 45.0, 1.5, 0, "ON_TIME"),
            row(BASE, "Oslo", 1, -2.5, -2.5, -2.5, 80.0, 0.0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void lateReadingWithinAllowedLatenessReEmitsTheAccumulatedWindow() {
    TestStream<Row> readings =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("Madrid", 5, 20.0, 40.0, 0.5))
            .advanceWatermarkTo(WINDOW_END.plus(Duration.standardSeconds(30)))
            .addElements(event("Madrid", 40, 26.0, 60.0, 2.0))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(readings).apply(new ComputeCityWeather(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "Madrid", 1, 20.0, 20.0, 20.0, 40.0, 0.5, 0, "ON_TIME"),
            row(BASE, "Madrid", 2, 23.0, 20.0, 26.0, 50.0, 2.5, 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void readingBeyondAllowedLatenessDoesNotChangeTheWindow() {
    TestStream<Row> readings =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("Madrid", 5, 20.0, 40.0, 0.5))
            .advanceWatermarkTo(WINDOW_END.plus(ALLOWED_LATENESS).plus(Duration.standardSeconds(1)))
            .addElements(event("Madrid", 40, 26.0, 60.0, 2.0))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(readings).apply(new ComputeCityWeather(ALLOWED_LATENESS)))
        .containsInAnyOrder(row(BASE, "Madrid", 1, 20.0, 20.0, 20.0, 40.0, 0.5, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedReadingsAreSummedPerCityAndMinute() {
    Instant nextMinute = WINDOW_END;
    PCollection<Row> readings =
        p.apply(
            Create.timestamped(
                    event("Madrid", 0, 10.0, 30.0, 0.0),
                    event("Madrid", 59, 14.0, 50.0, 1.25),
                    event("Madrid", 60, 30.0, 20.0, 0.0),
                    event("Oslo", 10, 1.0, 90.0, 3.0),
                    event("Oslo", 70, 2.0, 70.0, 4.0))
                .withCoder(RowCoder.of(SILVER)));

    PAssert.that(readings.apply(new ComputeCityWeather(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "Madrid", 2, 12.0, 10.0, 14.0, 40.0, 1.25, 0, "ON_TIME"),
            row(nextMinute, "Madrid", 1, 30.0, 30.0, 30.0, 20.0, 0.0, 0, "ON_TIME"),
            row(BASE, "Oslo", 1, 1.0, 1.0, 1.0, 90.0, 3.0, 0, "ON_TIME"),
            row(nextMinute, "Oslo", 1, 2.0, 2.0, 2.0, 70.0, 4.0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void totalsSurviveTheirCoder() throws Exception {
    ComputeCityWeather.Totals totals =
        ComputeCityWeather.Totals.EMPTY.add(event("Madrid", 5, 20.0, 40.0, 0.5).getValue());

    assertThat(CoderUtils.clone(SerializableCoder.of(ComputeCityWeather.Totals.class), totals))
        .isEqualTo(totals);
  }

  /** A reading {@code second}s after {@link #BASE}, timestamped with its event time. */
  private static TimestampedValue<Row> event(
      String city, int second, double temperatureC, double humidityPct, double precipitationMm) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(second));
    Row reading =
        Row.withSchema(SILVER)
            .withFieldValue("event_id", UUID.randomUUID().toString())
            .withFieldValue("station_id", "ST-" + city)
            .withFieldValue("city", city)
            .withFieldValue("event_time", eventTime)
            .withFieldValue("temperature_c", temperatureC)
            .withFieldValue("humidity_pct", humidityPct)
            .withFieldValue("pressure_hpa", 1013.0)
            .withFieldValue("wind_speed_ms", 3.0)
            .withFieldValue("precipitation_mm", precipitationMm)
            .withFieldValue(SilverSchema.KAFKA_PARTITION, 0)
            .withFieldValue(SilverSchema.KAFKA_OFFSET, (long) second)
            .withFieldValue(SilverSchema.INGEST_TIME, eventTime)
            .build();
    return TimestampedValue.of(reading, eventTime);
  }

  private static Row row(
      Instant windowStart,
      String city,
      long readings,
      double avgTemperatureC,
      double minTemperatureC,
      double maxTemperatureC,
      double avgHumidityPct,
      double totalPrecipitationMm,
      long paneIndex,
      String paneTiming) {
    return Row.withSchema(ComputeCityWeather.SCHEMA)
        .addValues(windowStart, windowStart.plus(ComputeCityWeather.WINDOW_SIZE), city, readings)
        .addValues(avgTemperatureC, minTemperatureC, maxTemperatureC, avgHumidityPct)
        .addValues(totalPrecipitationMm, paneIndex, paneTiming)
        .build();
  }
}

package io.tributary.pipelines.datasets.trips;

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

public class ComputeZoneTrafficTest {
  private static final Schema SILVER = SilverSchema.of(Contract.forDataset("trips"));
  private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
  private static final Duration ALLOWED_LATENESS = Duration.standardMinutes(2);
  private static final Instant WINDOW_END = BASE.plus(ComputeZoneTraffic.WINDOW_SIZE);

  /** Puerta del Sol, Madrid: zone "ezjmg". */
  private static final double[] MADRID = {40.4168, -3.7038};

  /** Aalborg: zone "u4pru". */
  private static final double[] AALBORG = {57.64911, 10.40744};

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Category(UsesTestStream.class)
  @Test
  public void eventsInAWindowGiveOneOnTimeRowPerZone() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(
                event("T1", "start", MADRID, 10, 0.0, 0.0, null),
                event("T1", "position", MADRID, 70, 30.0, 0.5, null),
                event("T1", "end", MADRID, 130, 20.0, 4.5, 12.25),
                event("T2", "end", MADRID, 200, 10.0, 2.0, 7.5),
                event("T3", "start", AALBORG, 250, 5.0, 0.0, null))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(new ComputeZoneTraffic(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "ezjmg", 1, 2, 15.0, 6.5, 19.75, 0, "ON_TIME"),
            row(BASE, "u4pru", 1, 0, 5.0, 0.0, 0.0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void lateEventWithinAllowedLatenessReEmitsTheAccumulatedWindow() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "start", MADRID, 10, 10.0, 0.0, null))
            .advanceWatermarkTo(WINDOW_END.plus(Duration.standardSeconds(30)))
            .addElements(event("T1", "end", MADRID, 290, 30.0, 3.0, 9.5))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(new ComputeZoneTraffic(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "ezjmg", 1, 0, 10.0, 0.0, 0.0, 0, "ON_TIME"),
            row(BASE, "ezjmg", 1, 1, 20.0, 3.0, 9.5, 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Category(UsesTestStream.class)
  @Test
  public void eventBeyondAllowedLatenessDoesNotChangeTheWindow() {
    TestStream<Row> events =
        TestStream.create(RowCoder.of(SILVER))
            .advanceWatermarkTo(BASE)
            .addElements(event("T1", "start", MADRID, 10, 10.0, 0.0, null))
            .advanceWatermarkTo(WINDOW_END.plus(ALLOWED_LATENESS).plus(Duration.standardSeconds(1)))
            .addElements(event("T1", "end", MADRID, 290, 30.0, 3.0, 9.5))
            .advanceWatermarkToInfinity();

    PAssert.that(p.apply(events).apply(new ComputeZoneTraffic(ALLOWED_LATENESS)))
        .containsInAnyOrder(row(BASE, "ezjmg", 1, 0, 10.0, 0.0, 0.0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void boundedEventsAreSummedPerZoneAndFiveMinutes() {
    PCollection<Row> events =
        p.apply(
            Create.timestamped(
                    event("T1", "start", MADRID, 0, 0.0, 0.0, null),
                    event("T1", "end", MADRID, 299, 40.0, 8.0, 20.0),
                    event("T2", "start", MADRID, 300, 10.0, 0.0, null),
                    event("T2", "end", AALBORG, 420, 50.0, 12.5, 30.5),
                    event("T3", "end", AALBORG, 430, 30.0, 1.5, null))
                .withCoder(RowCoder.of(SILVER)));

    PAssert.that(events.apply(new ComputeZoneTraffic(ALLOWED_LATENESS)))
        .containsInAnyOrder(
            row(BASE, "ezjmg", 1, 1, 20.0, 8.0, 20.0, 0, "ON_TIME"),
            row(WINDOW_END, "ezjmg", 1, 0, 10.0, 0.0, 0.0, 0, "ON_TIME"),
            row(WINDOW_END, "u4pru", 0, 2, 40.0, 14.0, 30.5, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  public void trafficSurvivesItsCoder() throws Exception {
    ComputeZoneTraffic.Traffic traffic =
        ComputeZoneTraffic.Traffic.EMPTY.add(
            event("T1", "end", MADRID, 5, 20.0, 4.5, 12.25).getValue());

    assertThat(CoderUtils.clone(SerializableCoder.of(ComputeZoneTraffic.Traffic.class), traffic))
        .isEqualTo(traffic);
  }

  /** A trip event {@code second}s after {@link #BASE}, timestamped with its event time. */
  private static TimestampedValue<Row> event(
      String tripId,
      String type,
      double[] position,
      int second,
      double speedKmh,
      double distanceKm,
      Double fare) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(second));
    Row event =
        Row.withSchema(SILVER)
            .withFieldValue("event_id", UUID.randomUUID().toString())
            .withFieldValue("trip_id", tripId)
            .withFieldValue("vehicle_id", "V-" + tripId)
            .withFieldValue("event_type", type)
            .withFieldValue("event_time", eventTime)
            .withFieldValue("lat", position[0])
            .withFieldValue("lon", position[1])
            .withFieldValue("speed_kmh", speedKmh)
            .withFieldValue("distance_km", distanceKm)
            .withFieldValue("fare", fare)
            .withFieldValue(SilverSchema.KAFKA_PARTITION, 0)
            .withFieldValue(SilverSchema.KAFKA_OFFSET, (long) second)
            .withFieldValue(SilverSchema.INGEST_TIME, eventTime)
            .build();
    return TimestampedValue.of(event, eventTime);
  }

  private static Row row(
      Instant windowStart,
      String zone,
      long tripsStarted,
      long tripsEnded,
      double avgSpeedKmh,
      double totalDistanceKm,
      double totalFare,
      long paneIndex,
      String paneTiming) {
    return Row.withSchema(ComputeZoneTraffic.SCHEMA)
        .addValues(windowStart, windowStart.plus(ComputeZoneTraffic.WINDOW_SIZE), zone)
        .addValues(tripsStarted, tripsEnded, avgSpeedKmh, totalDistanceKm, totalFare)
        .addValues(paneIndex, paneTiming)
        .build();
  }
}

package io.tributary.pipelines.datasets.trips;

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
 * Traffic per zone and 5 minutes of event time ({@value #VIEW}). A zone is the geohash of {@value
 * #ZONE_PRECISION} characters of the event's position; every trip event counts in the zone where it
 * happened. Trips started/ended count start/end events; the average speed is over all events;
 * distance and fare are summed over end events, whose distance is the trip's total.
 *
 * <p>Input: trips silver rows timestamped with their event time. Output panes follow {@link
 * GoldWindows}: one ON_TIME row per (window, zone), then a LATE row with the accumulated values for
 * each late event within the allowed lateness.
 */
public final class ComputeZoneTraffic extends PTransform<PCollection<Row>, PCollection<Row>> {
  public static final String VIEW = "trips_by_zone_5m";
  public static final Duration WINDOW_SIZE = Duration.standardMinutes(5);
  public static final int ZONE_PRECISION = 5;

  public static final Schema SCHEMA =
      GoldWindows.viewSchema(
          Field.of("zone", FieldType.STRING),
          Field.of("trips_started", FieldType.INT64),
          Field.of("trips_ended", FieldType.INT64),
          Field.of("avg_speed_kmh", FieldType.DOUBLE),
          Field.of("total_distance_km", FieldType.DOUBLE),
          Field.of("total_fare", FieldType.DOUBLE));

  private final Duration allowedLateness;

  public ComputeZoneTraffic(Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> events) {
    return events
        .apply(
            "KeyByZone",
            WithKeys.of(
                    (Row event) ->
                        Geohash.encode(
                            event.getDouble("lat"), event.getDouble("lon"), ZONE_PRECISION))
                .withKeyType(TypeDescriptors.strings()))
        .apply(
            "WindowBy5Minutes", GoldWindows.<KV<String, Row>>tumbling(WINDOW_SIZE, allowedLateness))
        .apply("CombineEvents", CombinePerKey.of(Aggregate.combineFn(Traffic.EMPTY)))
        .apply(
            "FormatRows",
            FormatViewRows.of(
                SCHEMA,
                (String zone, Traffic traffic) ->
                    List.of(
                        zone,
                        traffic.started(),
                        traffic.ended(),
                        traffic.speedSumKmh() / traffic.events(),
                        traffic.endedDistanceKm(),
                        traffic.endedFare())));
  }

  /**
   * One zone's events in one window. Immutable, so that it can be both the accumulator and the
   * result without a pane's output being changed by a later addition.
   */
  @DefaultCoder(SerializableCoder.class)
  record Traffic(
      long events,
      long started,
      long ended,
      double speedSumKmh,
      double endedDistanceKm,
      double endedFare)
      implements Aggregate<Traffic> {
    static final Traffic EMPTY = new Traffic(0, 0, 0, 0, 0, 0);

    @Override
    public Traffic add(Row event) {
      String type = event.getString("event_type");
      boolean isEnd = "end".equals(type);
      // Fare is only set on end events; a missing fare adds nothing.
      Double fare = event.getDouble("fare");
      return merge(
          new Traffic(
              1,
              "start".equals(type) ? 1 : 0,
              isEnd ? 1 : 0,
              event.getDouble("speed_kmh"),
              isEnd ? event.getDouble("distance_km") : 0,
              isEnd && fare != null ? fare : 0));
    }

    @Override
    public Traffic merge(Traffic other) {
      return new Traffic(
          events + other.events,
          started + other.started,
          ended + other.ended,
          speedSumKmh + other.speedSumKmh,
          endedDistanceKm + other.endedDistanceKm,
          endedFare + other.endedFare);
    }
  }
}

package io.tributary.pipelines.datasets.trips;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/** The trips dataset's gold views. */
public final class TripsGoldViews implements GoldViews {
  private static final long serialVersionUID = 1L;

  public static final String DATASET = "trips";

  @Override
  public String dataset() {
    return DATASET;
  }

  /** The latest position of each vehicle. */
  @Override
  public List<LatestState> latestStates() {
    return List.of(
        new LatestState(
            "vehicles_latest", List.of("vehicle_id"), List.of("event_time", "kafka_offset")));
  }

  @Override
  public Duration windowSize() {
    return ComputeZoneTraffic.WINDOW_SIZE;
  }

  // Step names start with the dataset, like the other layers' steps, so that runner metrics
  // (late drops) can be attributed to it.
  @Override
  public Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings) {
    return Map.of(
        ComputeZoneTraffic.VIEW,
        silver.apply(
            DATASET + "/ComputeZoneTraffic", new ComputeZoneTraffic(settings.allowedLateness())));
  }
}

package io.tributary.pipelines.datasets.trips;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** The trips dataset's gold views. */
public final class TripsGoldViews implements GoldViews {
  private static final long serialVersionUID = 1L;

  public static final String DATASET = "trips";

  @Override
  public String dataset() {
    return DATASET;
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

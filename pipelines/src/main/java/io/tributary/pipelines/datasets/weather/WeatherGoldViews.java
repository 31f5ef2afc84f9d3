package io.tributary.pipelines.datasets.weather;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/** The weather dataset's gold views. */
public final class WeatherGoldViews implements GoldViews {
  private static final long serialVersionUID = 1L;

  public static final String DATASET = "weather";

  @Override
  public String dataset() {
    return DATASET;
  }

  @Override
  public Duration windowSize() {
    return ComputeCityWeather.WINDOW_SIZE;
  }

  // Step names start with the dataset, like the other layers' steps, so that runner metrics
  // (late drops) can be attributed to it.
  @Override
  public Map<String, PCollection<Row>> expand(PCollection<Row> silver, GoldSettings settings) {
    return Map.of(
        ComputeCityWeather.VIEW,
        silver.apply(
            DATASET + "/ComputeCityWeather", new ComputeCityWeather(settings.allowedLateness())));
  }
}

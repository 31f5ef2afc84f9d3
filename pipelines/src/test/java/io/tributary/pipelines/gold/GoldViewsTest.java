package io.tributary.pipelines.gold;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.datasets.students.ComputeCourseStats;
import io.tributary.pipelines.datasets.transactions.ComputeCategorySpend;
import io.tributary.pipelines.datasets.transactions.FlagSuspiciousTransactions;
import io.tributary.pipelines.datasets.trips.ComputeZoneTraffic;
import io.tributary.pipelines.datasets.weather.ComputeCityWeather;
import io.tributary.pipelines.silver.SilverSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/** Every dataset's views are registered, build on its silver rows, and have their schemas. */
public class GoldViewsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void everyDatasetRegistersItsViews() {
    assertThat(GoldViews.registered().keySet())
        .containsExactly("students", "transactions", "trips", "weather");
  }

  @Test
  public void viewsBuildOnTheirDatasetsSilverRowsWithTheirSchemas() {
    Map<String, Schema> schemas = new TreeMap<>();
    GoldViews.registered()
        .forEach(
            (dataset, views) -> {
              Schema silverSchema = SilverSchema.of(Contract.forDataset(dataset));
              PCollection<Row> silver =
                  p.apply("Silver" + dataset, Create.empty(RowCoder.of(silverSchema)));
              views
                  .expand(silver, GoldSettings.DEFAULTS)
                  .forEach(
                      (view, rows) -> {
                        schemas.put(view, rows.getSchema());
                        PAssert.that(rows).empty();
                      });
            });

    assertThat(schemas)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "students_by_course_1m", ComputeCourseStats.SCHEMA,
                    "transaction_alerts", FlagSuspiciousTransactions.SCHEMA,
                    "transactions_by_category_1m", ComputeCategorySpend.SCHEMA,
                    "trips_by_zone_5m", ComputeZoneTraffic.SCHEMA,
                    "weather_by_city_1m", ComputeCityWeather.SCHEMA)));
    p.run().waitUntilFinish();
  }

  /** A restart recomputes whole windows of windowSize(): the longest window the views use. */
  @Test
  public void everyDatasetsWindowSizeIsTheLongestWindowOfItsViews() {
    GoldViews.registered()
        .forEach(
            (dataset, views) -> {
              Pipeline pipeline = Pipeline.create();
              views.expand(
                  pipeline.apply(
                      Create.empty(RowCoder.of(SilverSchema.of(Contract.forDataset(dataset))))),
                  GoldSettings.DEFAULTS);
              assertThat(views.windowSize()).as(dataset).isEqualTo(longestFixedWindow(pipeline));
            });
    assertThat(GoldViews.registered().get("trips").windowSize())
        .isEqualTo(Duration.standardMinutes(5));
  }

  private static Duration longestFixedWindow(Pipeline pipeline) {
    List<Duration> sizes = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> collection
                && collection.getWindowingStrategy().getWindowFn() instanceof FixedWindows fixed) {
              sizes.add(fixed.getSize());
            }
          }
        });
    return Collections.max(sizes);
  }

  /** Column names and order are what readers of the gold tables rely on. */
  @Test
  public void viewColumnsAreAsPublished() {
    assertThat(ComputeCityWeather.SCHEMA.getFieldNames())
        .containsExactly(
            "window_start",
            "window_end",
            "city",
            "readings",
            "avg_temperature_c",
            "min_temperature_c",
            "max_temperature_c",
            "avg_humidity_pct",
            "total_precipitation_mm",
            "pane_index",
            "pane_timing");
    assertThat(ComputeCourseStats.SCHEMA.getFieldNames())
        .containsExactly(
            "window_start",
            "window_end",
            "course",
            "events",
            "distinct_students",
            "avg_grade",
            "pane_index",
            "pane_timing");
    assertThat(ComputeZoneTraffic.SCHEMA.getFieldNames())
        .containsExactly(
            "window_start",
            "window_end",
            "zone",
            "trips_started",
            "trips_ended",
            "avg_speed_kmh",
            "total_distance_km",
            "total_fare",
            "pane_index",
            "pane_timing");
    assertThat(ComputeCategorySpend.SCHEMA.getFieldNames())
        .containsExactly(
            "window_start",
            "window_end",
            "merchant_category",
            "currency",
            "transactions",
            "total_amount",
            "avg_amount",
            "max_amount",
            "pane_index",
            "pane_timing");
    assertThat(FlagSuspiciousTransactions.SCHEMA.getFieldNames())
        .containsExactly(
            "transaction_id",
            "account_id",
            "event_time",
            "amount",
            "currency",
            "rule",
            "detail",
            "window_start",
            "window_end",
            "pane_index");
  }
}

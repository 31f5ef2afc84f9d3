package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.testing.TestStreams;
import io.tributary.pipelines.testing.WeatherRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole streaming pipeline on a controlled clock: an event later than the allowed lateness
 * reaches silver but not gold, and is counted.
 */
class LateEventsTest {
  private static final Instant BASE = Instant.parse("2026-01-01T10:00:00Z");
  @TempDir Path lakehouse;

  private static TimestampedValue<Row> reading(String eventId, Duration afterBase, long offset) {
    Instant eventTime = BASE.plus(afterBase);
    Row bronze =
        WeatherRecords.bronze(
            eventId, java.time.Instant.ofEpochMilli(eventTime.getMillis()), offset);
    return TimestampedValue.of(bronze, eventTime);
  }

  @Tag(TestStreams.TAG)
  @Test
  void anEventBeyondTheAllowedLatenessReachesSilverButNotGoldAndIsCounted() {
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(BronzeSchema.SCHEMA))
            .addElements(
                reading("00000000-0000-4000-8000-000000000001", Duration.standardSeconds(10), 0))
            // Past the 10:00 window's end plus its 5 minutes of allowed lateness.
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(10)))
            .addElements(
                reading("00000000-0000-4000-8000-000000000002", Duration.standardSeconds(20), 1))
            .advanceWatermarkToInfinity();
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    Lakehouse tables = Lakehouse.at(lakehouse.toString(), TableFormat.DELTA);
    MedallionPipeline.Settings settings =
        new MedallionPipeline.Settings(
            Duration.standardMinutes(60), GoldSettings.DEFAULTS, WriteSettings.DEFAULTS);
    DatasetTables.of(tables, "weather").createAll(tables, settings.gold(), pipeline.getOptions());
    MedallionPipeline.build(
        pipeline,
        tables,
        MedallionPipeline.prepare(
            tables,
            List.of(DatasetSource.ofStream("weather", "weather", stream)),
            settings,
            pipeline.getOptions()),
        settings);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(TableReader.read(lakehouse.resolve("silver/weather").toString(), TableFormat.DELTA))
        .hasSize(2);
    List<Map<String, Object>> gold =
        TableReader.read(
            lakehouse.resolve("gold/weather_by_city_1m").toString(), TableFormat.DELTA);
    assertThat(gold).hasSize(1);
    assertThat(gold.get(0)).containsEntry("readings", 1L).containsEntry("pane_timing", "ON_TIME");
    result
        .metrics()
        .queryMetrics(org.apache.beam.sdk.metrics.MetricsFilter.builder().build())
        .getCounters()
        .forEach(c -> System.out.println("METRIC " + c.getKey() + " = " + c.getAttempted()));
    assertThat(RunSummary.of(result, List.of("weather")).get("weather", "late_dropped_from_gold"))
        .isEqualTo(1);
  }
}

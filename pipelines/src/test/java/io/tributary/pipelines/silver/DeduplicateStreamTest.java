package io.tributary.pipelines.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.testing.WeatherRecords;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.rules.TemporaryFolder;

/**
 * De-duplication of a stream ({@link DeduplicateEvents.KeepFirstFn}): the first row of each event
 * id is kept at its event time, later ones and ids silver already holds are accounted as
 * duplicates, and rows from offsets silver accounted for are left out without being counted.
 */
@Category(UsesTestStream.class)
public class DeduplicateStreamTest {
  private static final Instant BASE = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration HORIZON = Duration.standardHours(1);

  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  @After
  public void forgetKnownIds() {
    KnownEvents.clearCache();
  }

  /** A bronze weather record of event {@code n}, {@code seconds} after the base, at an offset. */
  private static Row bronze(long n, int seconds, long offset) {
    Instant eventTime = BASE.plus(Duration.standardSeconds(seconds));
    return WeatherRecords.bronze(
        WeatherRecords.id(n), java.time.Instant.ofEpochMilli(eventTime.getMillis()), offset);
  }

  private static TimestampedValue<Row> event(long n, int seconds, long offset) {
    return TimestampedValue.of(
        bronze(n, seconds, offset), BASE.plus(Duration.standardSeconds(seconds)));
  }

  private static PCollectionTuple deduplicate(
      Pipeline pipeline, TestStream<Row> stream, KnownEvents known, OffsetRanges inSilver) {
    PCollection<Row> parsed =
        pipeline.apply("Bronze", stream).apply(new ParseEvents("weather")).get(ParseEvents.VALID);
    assertThat(parsed.isBounded()).isEqualTo(PCollection.IsBounded.UNBOUNDED);
    return parsed.apply(new DeduplicateEvents("weather", HORIZON, known, inSilver));
  }

  /** Each kept row as "id offset @timestamp". */
  private static PCollection<String> kept(PCollectionTuple deduplicated) {
    return deduplicated
        .get(DeduplicateEvents.UNIQUE)
        .apply(
            "Kept",
            ParDo.of(
                new DoFn<Row, String>() {
                  @ProcessElement
                  public void process(
                      @Element Row row, @Timestamp Instant timestamp, OutputReceiver<String> out) {
                    out.output(
                        row.getString("event_id")
                            + " "
                            + row.getInt64(SilverSchema.KAFKA_OFFSET)
                            + " @"
                            + timestamp);
                  }
                }));
  }

  /** The offsets of each duplicate, as JSON (one element per duplicate, in the stream). */
  private static PCollection<String> duplicates(PCollectionTuple deduplicated) {
    return deduplicated
        .get(DeduplicateEvents.ACCOUNTED_WITHOUT_ROWS)
        .apply("Json", MapElements.into(TypeDescriptors.strings()).via(OffsetRanges::toJson));
  }

  private static String kept(long n, int seconds, long offset) {
    return WeatherRecords.id(n)
        + " "
        + offset
        + " @"
        + BASE.plus(Duration.standardSeconds(seconds));
  }

  private static long counter(PipelineResult result, String name) {
    List<MetricResult<Long>> counters = new java.util.ArrayList<>();
    result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named("tributary.weather", name))
                .build())
        .getCounters()
        .forEach(counters::add);
    return counters.stream().mapToLong(MetricResult::getAttempted).sum();
  }

  @Test
  public void keepsTheFirstOfEachIdAtItsEventTimeAndAccountsForReSends() {
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(BronzeSchema.SCHEMA))
            .addElements(event(1, 10, 0), event(2, 20, 1))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(1)))
            // Re-sends of 1 and 2 (same bytes, so same event time) and a new event 3.
            .addElements(event(1, 10, 2))
            .addElements(event(3, 70, 3))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(5)))
            .addElements(event(2, 20, 4))
            .advanceWatermarkToInfinity();

    PCollectionTuple deduplicated =
        deduplicate(p, stream, KnownEvents.none(), OffsetRanges.empty());

    PAssert.that(kept(deduplicated))
        .containsInAnyOrder(kept(1, 10, 0), kept(2, 20, 1), kept(3, 70, 3));
    PAssert.that(duplicates(deduplicated)).containsInAnyOrder("{\"0\":[[2,3]]}", "{\"0\":[[4,5]]}");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "duplicates_dropped")).isEqualTo(2);
    assertThat(counter(result, "already_in_silver")).isZero();
  }

  @Test
  public void idsSilverAlreadyHoldsAreDuplicates() {
    TableSpec silver = silverHolding(List.of(bronze(1, 10, 0), bronze(2, 20, 1)));
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(BronzeSchema.SCHEMA))
            // A restart reads events 1 and 2 again from other offsets (re-sent), and a new event 3.
            .addElements(event(2, 20, 10), event(3, 30, 11))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(1)))
            .addElements(event(1, 10, 12))
            .advanceWatermarkToInfinity();
    KnownEvents known =
        KnownEvents.of(silver.path(), TableFormat.DELTA, lakehouse().storage(), HORIZON);

    PCollectionTuple deduplicated = deduplicate(p, stream, known, OffsetRanges.empty());

    PAssert.that(kept(deduplicated)).containsInAnyOrder(kept(3, 30, 11));
    PAssert.that(duplicates(deduplicated))
        .containsInAnyOrder("{\"0\":[[10,11]]}", "{\"0\":[[12,13]]}");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "duplicates_dropped")).isEqualTo(2);
  }

  @Test
  public void rowsFromOffsetsSilverAccountedForAreLeftOutWithoutBeingDuplicates() {
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(BronzeSchema.SCHEMA))
            // Offsets 0 to 2 are in silver already (a restart reads them again); 3 and 4 are new.
            .addElements(event(1, 10, 0), event(2, 20, 1), event(1, 10, 2))
            .addElements(event(3, 30, 3), event(1, 10, 4))
            .advanceWatermarkToInfinity();
    OffsetRanges inSilver = OffsetRanges.empty().add(0, 0).add(0, 1).add(0, 2);

    PCollectionTuple deduplicated = deduplicate(p, stream, KnownEvents.none(), inSilver);

    // Event 1 at offset 4 is kept: the rows of offsets silver accounted for are not remembered.
    PAssert.that(kept(deduplicated)).containsInAnyOrder(kept(3, 30, 3), kept(1, 10, 4));
    PAssert.that(duplicates(deduplicated)).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "already_in_silver")).isEqualTo(3);
    assertThat(counter(result, "duplicates_dropped")).isZero();
  }

  private Lakehouse lakehouse() {
    return Lakehouse.at(folder.getRoot().getPath(), TableFormat.DELTA);
  }

  /** A real silver table holding the parsed rows of {@code records}. */
  private TableSpec silverHolding(List<Row> records) {
    Lakehouse lakehouse = lakehouse();
    TableSpec silver =
        lakehouse.table("silver/weather", SilverSchema.of(Contract.forDataset("weather")));
    lakehouse.create(silver);
    Pipeline write = Pipeline.create();
    write
        .apply("Records", Create.of(records).withRowSchema(BronzeSchema.SCHEMA))
        .apply("Parse", new ParseEvents("weather"))
        .get(ParseEvents.VALID)
        .apply("Write", WriteTable.to(silver, TableFormat.DELTA, WriteSettings.DEFAULTS));
    write.run().waitUntilFinish();
    assertThat(TableReader.read(silver.path(), TableFormat.DELTA)).hasSize(records.size());
    return silver;
  }
}

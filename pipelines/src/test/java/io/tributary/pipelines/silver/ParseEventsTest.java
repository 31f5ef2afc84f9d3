package io.tributary.pipelines.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.Contract;
import io.tributary.pipelines.bronze.BronzeSchema;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.offsets.UnionOffsets;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * Every bronze record lands in exactly one of silver or quarantine; duplicates are dropped once.
 */
public class ParseEventsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String VALID =
      "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"station_id\":\"ST-1\",\"city\":\"Madrid\","
          + "\"event_time\":\"2026-01-01T00:00:30Z\",\"temperature_c\":12.5,\"humidity_pct\":50,"
          + "\"pressure_hpa\":1013,\"wind_speed_ms\":2,\"precipitation_mm\":0}";

  /** When the records reached Kafka: a minute after their event time. */
  private static final long KAFKA_TIME =
      java.time.Instant.parse("2026-01-01T00:01:30Z").toEpochMilli();

  private static Row bronze(String payload, long offset) {
    return BronzeSchema.row(
        "ST-1".getBytes(StandardCharsets.UTF_8),
        payload.getBytes(StandardCharsets.UTF_8),
        "weather",
        0,
        offset,
        KAFKA_TIME,
        KAFKA_TIME + 1_000L);
  }

  private static PCollection<String> union(PCollection<OffsetRanges> offsets, String name) {
    return offsets
        .apply(name + "Union", Combine.globally(UnionOffsets.of()))
        .apply(
            name + "Json", MapElements.into(TypeDescriptors.strings()).via(OffsetRanges::toJson));
  }

  @Test
  public void validEventsGoToSilverOnceAndBadOnesToQuarantineWithTheirReason() {
    PCollectionTuple parsed =
        p.apply(
                Create.of(
                        bronze(VALID, 0),
                        bronze(VALID, 1),
                        bronze(VALID.replace("12.5", "75"), 2),
                        bronze("{\"event_id\":", 3))
                    .withRowSchema(BronzeSchema.SCHEMA))
            .apply(new ParseEvents("weather"));
    PCollectionTuple deduplicated =
        parsed
            .get(ParseEvents.VALID)
            .apply(new DeduplicateEvents("weather", Duration.standardHours(1)));
    PCollection<Row> silver = deduplicated.get(DeduplicateEvents.UNIQUE);

    PAssert.that(
            silver.apply(
                "EventIds",
                MapElements.into(TypeDescriptors.strings()).via(row -> row.getString("event_id"))))
        .containsInAnyOrder("0f8fad5b-d9cb-469f-a165-70867728950e");
    PAssert.that(
            parsed
                .get(ParseEvents.QUARANTINED)
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            row ->
                                row.getInt64(QuarantineSchema.OFFSET)
                                    + " "
                                    + row.getString(QuarantineSchema.STAGE)
                                    + " "
                                    + row.getString(QuarantineSchema.RULE)
                                    + " "
                                    + row.getString(QuarantineSchema.REASON))))
        .containsInAnyOrder(
            "2 validate maximum field 'temperature_c' = 75 is above the maximum 60",
            "3 parse json payload is truncated JSON: Unexpected end-of-input within/between Object entries");
    // Each table accounts for every offset: with a row, or without one.
    PAssert.that(union(parsed.get(ParseEvents.SILVER_ACCOUNTED_WITHOUT_ROWS), "NotValid"))
        .containsInAnyOrder("{\"0\":[[2,4]]}");
    PAssert.that(union(parsed.get(ParseEvents.QUARANTINE_ACCOUNTED_WITHOUT_ROWS), "NotQuarantined"))
        .containsInAnyOrder("{\"0\":[[0,2]]}");
    // Offsets 0 and 1 carry the same event: whichever is not kept is accounted as a duplicate.
    PAssert.that(union(deduplicated.get(DeduplicateEvents.ACCOUNTED_WITHOUT_ROWS), "Duplicates"))
        .satisfies(
            json -> {
              assertThat(json).singleElement().isIn("{\"0\":[[0,1]]}", "{\"0\":[[1,2]]}");
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void aCleanBatchLeavesQuarantineEmpty() {
    PCollectionTuple parsed =
        p.apply(Create.of(bronze(VALID, 0)).withRowSchema(BronzeSchema.SCHEMA))
            .apply(new ParseEvents("weather"));

    PAssert.that(parsed.get(ParseEvents.QUARANTINED)).empty();
    PAssert.that(parsed.get(ParseEvents.VALID))
        .satisfies(
            rows -> {
              Row row = rows.iterator().next();
              org.assertj.core.api.Assertions.assertThat(row.getSchema())
                  .isEqualTo(SilverSchema.of(Contract.forDataset("weather")));
              org.assertj.core.api.Assertions.assertThat(row.getDouble("temperature_c"))
                  .isEqualTo(12.5);
              return null;
            });
    p.run().waitUntilFinish();
  }
}

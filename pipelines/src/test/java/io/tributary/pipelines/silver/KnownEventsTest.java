package io.tributary.pipelines.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.append.WriteTable;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KnownEvents} over a real Delta table: what a handle reads, and when it reads again. */
class KnownEventsTest {
  private static final Schema SCHEMA =
      Schema.builder().addStringField("event_id").addDateTimeField("event_time").build();
  private static final Instant BASE = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir Path dir;

  @AfterEach
  void forget() {
    KnownEvents.clearCache();
  }

  @Test
  void aWarmedHandleTakesTheIdsAsReadThenUntilThisJvmReadsTheTableAgain() {
    Lakehouse lakehouse = Lakehouse.at(dir.toString(), TableFormat.DELTA);
    TableSpec silver = lakehouse.table("silver/known", SCHEMA);
    lakehouse.create(silver);
    append(silver, "a", "b");
    KnownEvents handle =
        KnownEvents.of(
            silver.path(), TableFormat.DELTA, lakehouse.storage(), Duration.standardHours(1));

    KnownEvents warm = handle.warm();
    append(silver, "c");

    assertThat(warm.ids().contains("a")).isTrue();
    assertThat(warm.ids().contains("c")).as("committed after warming: not listed again").isFalse();
    assertThat(handle.ids().contains("c")).as("a plain handle reads new files").isTrue();
    assertThat(warm.ids().contains("c")).as("the JVM's cache read on since").isTrue();

    // A JVM whose cache has not read the table (a worker elsewhere) reads it on first use.
    KnownEvents.clearCache();
    append(silver, "d");
    assertThat(warm.ids().contains("d")).isTrue();
    assertThat(warm.ids().contains("e")).isFalse();
  }

  private void append(TableSpec table, String... ids) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply(
            Create.of(
                    Arrays.stream(ids)
                        .map(id -> Row.withSchema(SCHEMA).addValues(id, BASE).build())
                        .toList())
                .withRowSchema(SCHEMA))
        .apply(WriteTable.to(table, TableFormat.DELTA, WriteSettings.DEFAULTS));
    pipeline.run().waitUntilFinish();
  }
}

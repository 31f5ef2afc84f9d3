package io.tributary.pipelines.lakehouse.append;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TestRows;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.testing.TestStreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unbounded input: rows are committed when the flush interval passes, not only at the end. */
public class StreamingWriteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  @Tag(TestStreams.TAG)
  @Test
  void flushIntervalCommitsWhatArrivedSoFar() throws IOException {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("bronze/stream", TestRows.SCHEMA);
    lakehouse.create(table);
    List<Row> early = TestRows.rows(0, 100);
    List<Row> late = TestRows.rows(100, 150);
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(TestRows.SCHEMA))
            .addElements(early.get(0), early.subList(1, early.size()).toArray(Row[]::new))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(late.get(0), late.subList(1, late.size()).toArray(Row[]::new))
            .advanceWatermarkToInfinity();
    WriteSettings settings =
        WriteSettings.DEFAULTS
            .withShards(1)
            .withFlushInterval(Duration.standardSeconds(10))
            .withAccountedTopic(Optional.of("weather"));

    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline.apply(stream).apply(WriteTable.to(table, TableFormat.DELTA, settings));
    pipeline.run().waitUntilFinish();

    // Version 0 created the table; the flush committed the early rows alone as version 1, the rest
    // came after.
    Path log = root.resolve("bronze/stream/_delta_log");
    assertThat(recordsIn(log.resolve("00000000000000000001.json"))).isEqualTo(100);
    assertThat(recordsIn(log.resolve("00000000000000000002.json"))).isEqualTo(50);
    assertThat(log.resolve("00000000000000000003.json")).doesNotExist();
    assertThat(Files.readString(log.resolve("00000000000000000001.json")))
        .contains("tributary.kafka.weather")
        .contains(JSON.writeValueAsString(accounted(early).toJson()));
    assertThat(lakehouse.frontiers(table, "weather"))
        .isEqualTo(TestRows.nextOffsets(TestRows.rows(0, 150)));
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(TestRows.rows(0, 150)));
  }

  private static OffsetRanges accounted(java.util.List<org.apache.beam.sdk.values.Row> rows) {
    OffsetRanges offsets = OffsetRanges.empty();
    rows.forEach(
        row ->
            offsets.add(row.getInt32(WriteSettings.PARTITION), row.getInt64(WriteSettings.OFFSET)));
    return offsets;
  }

  private static long recordsIn(Path commit) throws IOException {
    long records = 0;
    for (String line : Files.readAllLines(commit)) {
      JsonNode action = JSON.readTree(line);
      if (action.has("add")) {
        records +=
            JSON.readTree(action.get("add").get("stats").asText()).get("numRecords").asLong();
      }
    }
    return records;
  }
}

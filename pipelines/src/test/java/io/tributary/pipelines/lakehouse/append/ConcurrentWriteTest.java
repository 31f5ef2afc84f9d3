package io.tributary.pipelines.lakehouse.append;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TestRows;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipelines committing to one Delta table at the same time: Kernel's optimistic concurrency
 * plus our retries.
 */
public class ConcurrentWriteTest {
  @TempDir Path root;

  @Test
  void twoConcurrentPipelinesBothCommit() throws Exception {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("bronze/shared", TestRows.SCHEMA);
    lakehouse.create(table);
    // Both writers record positions of the same topic: their domain-metadata updates conflict and
    // are re-merged.
    WriteSettings settings =
        WriteSettings.DEFAULTS
            .withShards(3)
            .withMaxRowsPerFile(700)
            .withAccountedTopic(Optional.of("weather"));
    List<Row> first = TestRows.rows(0, 5_000);
    List<Row> second = TestRows.rows(5_000, 10_000);
    CyclicBarrier start = new CyclicBarrier(2);

    CompletableFuture<Void> a =
        CompletableFuture.runAsync(() -> write(start, table, settings, first));
    CompletableFuture<Void> b =
        CompletableFuture.runAsync(() -> write(start, table, settings, second));
    CompletableFuture.allOf(a, b).get(5, TimeUnit.MINUTES);

    List<Row> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(all));
    assertThat(lakehouse.frontiers(table, "weather")).isEqualTo(TestRows.nextOffsets(all));
  }

  @Test
  void twoPipelinesReadingTheSameRecordsCommitEachOnce() throws Exception {
    // Two runs started by mistake on the same topic and lakehouse: they overlap on 3,000 records.
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("bronze/twice", TestRows.SCHEMA);
    lakehouse.create(table);
    WriteSettings settings =
        WriteSettings.DEFAULTS
            .withShards(2)
            .withMaxRowsPerFile(500)
            .withAccountedTopic(Optional.of("weather"));
    CyclicBarrier start = new CyclicBarrier(2);

    CompletableFuture<Void> a =
        CompletableFuture.runAsync(() -> write(start, table, settings, TestRows.rows(0, 6_000)));
    CompletableFuture<Void> b =
        CompletableFuture.runAsync(
            () -> write(start, table, settings, TestRows.rows(3_000, 9_000)));
    CompletableFuture.allOf(a, b).get(5, TimeUnit.MINUTES);

    // A file that overlaps what the other run committed is left out whole, and its offsets stay
    // unaccounted; a restart reads exactly those again. So: no row twice, and the gaps are known.
    List<Map<String, Object>> rows = TableReader.read(table.path(), TableFormat.DELTA);
    assertThat(rows.stream().map(row -> row.get("partition") + "/" + row.get("offset")))
        .doesNotHaveDuplicates();
    OffsetRanges accounted = lakehouse.accounted(table, "weather");
    assertThat(rows)
        .allSatisfy(
            row ->
                assertThat(
                        accounted.contains(
                            (Integer) row.get("partition"), (Long) row.get("offset")))
                    .isTrue());
    long accountedCount = 0;
    for (int partition = 0; partition < TestRows.PARTITIONS; partition++) {
      for (var span : accounted.spans(partition).entrySet()) {
        accountedCount += span.getValue() - span.getKey();
      }
    }
    assertThat(accountedCount).as("every accounted offset has its row").isEqualTo(rows.size());

    // A restart reads everything again and skips what the table accounted for, as a run does.
    Pipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline
        .apply("Rows", Create.of(TestRows.rows(0, 9_000)).withRowSchema(table.schema()))
        .apply("Write", WriteTable.to(table, TableFormat.DELTA, settings).skipping(accounted));
    pipeline.run().waitUntilFinish();
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(TestRows.rows(0, 9_000)));
  }

  private static void write(
      CyclicBarrier start, TableSpec table, WriteSettings settings, List<Row> rows) {
    try {
      start.await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    TestRows.write(table, TableFormat.DELTA, settings, rows);
  }
}

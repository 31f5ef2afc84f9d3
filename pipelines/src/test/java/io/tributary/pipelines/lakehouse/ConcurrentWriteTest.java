package io.tributary.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipelines committing to one Delta table at the same time: Kernel's optimistic concurrency
 * plus our retries.
 */
class ConcurrentWriteTest {
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
            .withPositionsTopic(Optional.of("weather"));
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
    assertThat(lakehouse.positions(table, "weather")).isEqualTo(TestRows.nextOffsets(all));
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

package io.tributary.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta committer without a pipeline: many commits, checkpoints, positions that never regress.
 */
class DeltaCommitTest {
  @TempDir Path root;

  @Test
  void positionsSurviveCheckpointsAndNeverMoveBackwards() throws Exception {
    Engine engine = LakeFiles.engine();
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("bronze/offsets", TestRows.SCHEMA);
    lakehouse.create(table);

    List<Row> committed = new ArrayList<>();
    long version = 0;
    for (int commit = 1; commit <= 12; commit++) {
      // Every other commit replays older rows (offsets below what is recorded), as a late or
      // retried pane would.
      List<Row> rows =
          commit % 2 == 0 ? TestRows.rows(0, 3) : TestRows.rows(commit * 30, commit * 30 + 3);
      committed.addAll(rows);
      version =
          DeltaCommit.commit(engine, table, List.of(write(engine, table, rows)), Optional.of("t"));
    }

    assertThat(version).isEqualTo(12);
    assertThat(root.resolve("bronze/offsets/_delta_log/00000000000000000010.checkpoint.parquet"))
        .isRegularFile();
    assertThat(lakehouse.positions(table, "t"))
        .isEqualTo(TestRows.nextOffsets(TestRows.rows(330, 333)))
        .isEqualTo(Map.of(0, 111L, 1, 111L, 2, 111L));
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(committed));
  }

  /** Writes one data file into the table directory, as {@link WriteDataFiles} does. */
  private static DataFile write(Engine engine, TableSpec table, List<Row> rows) throws Exception {
    StructType schema = KernelSchemas.toKernel(table.schema());
    RowBatches batches = new RowBatches(rows, schema, true);
    List<Column> statsColumns = schema.fieldNames().stream().map(Column::new).toList();
    try (CloseableIterator<DataFileStatus> files =
        engine.getParquetHandler().writeParquetFiles(table.path(), batches, statsColumns)) {
      DataFileStatus file = files.next();
      return DataFile.of(file, rows.size(), batches.nextOffsets());
    }
  }
}

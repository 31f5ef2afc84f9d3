package io.tributary.pipelines.lakehouse.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TestRows;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta committer without a pipeline: many commits, checkpoints, positions that never regress.
 */
public class AppendCommitTest {
  @TempDir Path root;

  @Test
  void replayedRowsAreCommittedOnceAndGapsFillInAcrossCheckpoints() throws Exception {
    Engine engine = LakeFiles.engine();
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("bronze/offsets", TestRows.SCHEMA);
    lakehouse.create(table);

    // Twelve blocks of 30 rows (offsets 10 per partition each), committed out of order: block 1
    // last. Every commit is followed by a replay of block 0 (a retried bundle, a restarted run).
    List<Row> all = TestRows.rows(0, 360);
    long committedRows = 0;
    for (int block : List.of(0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1)) {
      List<Row> rows = TestRows.rows(block * 30, block * 30 + 30);
      committedRows +=
          AppendCommit.commit(engine, table, List.of(write(engine, table, rows)), Optional.of("t"));
      if (block == 0) {
        continue;
      }
      assertThat(
              AppendCommit.commit(
                  engine,
                  table,
                  List.of(write(engine, table, TestRows.rows(0, 30))),
                  Optional.of("t")))
          .as("a replay of rows the table has")
          .isZero();
      if (block == 11) {
        // Block 1 is still missing: the contiguous position stops before it.
        assertThat(lakehouse.frontiers(table, "t")).isEqualTo(Map.of(0, 10L, 1, 10L, 2, 10L));
      }
    }

    assertThat(committedRows).isEqualTo(360);
    assertThat(root.resolve("bronze/offsets/_delta_log/00000000000000000010.checkpoint.parquet"))
        .isRegularFile();
    assertThat(lakehouse.frontiers(table, "t"))
        .isEqualTo(TestRows.nextOffsets(all))
        .isEqualTo(Map.of(0, 120L, 1, 120L, 2, 120L));
    assertThat(lakehouse.accounted(table, "t").toJson())
        .isEqualTo("{\"0\":[[0,120]],\"1\":[[0,120]],\"2\":[[0,120]]}");
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(all));
  }

  private static DataFile write(Engine engine, TableSpec table, List<Row> rows) throws Exception {
    return TestRows.writeFile(engine, table, rows);
  }
}

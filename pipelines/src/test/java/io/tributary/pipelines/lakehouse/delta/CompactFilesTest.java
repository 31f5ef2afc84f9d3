package io.tributary.pipelines.lakehouse.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.engine.Engine;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TestRows;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.latest.LatestStateFiles;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of an append table: same rows, same offsets, fewer files, skipped by the change feed.
 */
public class CompactFilesTest {
  @TempDir Path root;

  @Test
  void smallFilesBecomeOneWithTheSameRowsAndOffsets() throws Exception {
    Engine engine = LakeFiles.engine();
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("bronze/compacted", TestRows.SCHEMA);
    lakehouse.create(table);
    List<Row> all = TestRows.rows(0, 300);
    for (int block = 0; block < 10; block++) {
      List<Row> rows = TestRows.rows(block * 30, block * 30 + 30);
      AppendCommit.commit(engine, table, List.of(write(engine, table, rows)), Optional.of("t"));
    }
    String accounted = lakehouse.accounted(table, "t").toJson();
    long versionBefore = lakehouse.version(table).orElseThrow();

    assertThat(CompactFiles.compact(table))
        .as("files younger than %s are left alone", CompactFiles.MIN_AGE)
        .isZero();
    assertThat(CompactFiles.compact(table, java.time.Duration.ZERO)).isEqualTo(10);

    assertThat(liveFiles(engine, table)).hasSize(1);
    assertThat(lakehouse.version(table)).contains(versionBefore + 1);
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(all));
    assertThat(lakehouse.accounted(table, "t").toJson()).isEqualTo(accounted);
    String commit =
        Files.readString(
            root.resolve(
                String.format("bronze/compacted/_delta_log/%020d.json", versionBefore + 1)));
    assertThat(commit)
        .contains("\"remove\"")
        .contains("\"add\"")
        .doesNotContain("\"dataChange\":true");
    assertThat(CompactFiles.compact(table, java.time.Duration.ZERO))
        .as("one file is left as it is")
        .isZero();
  }

  @Test
  void fewSmallFilesAreLeftAlone() throws Exception {
    Engine engine = LakeFiles.engine();
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("silver/few", TestRows.SCHEMA);
    lakehouse.create(table);
    for (int block = 0; block < 3; block++) {
      AppendCommit.commit(
          engine,
          table,
          List.of(write(engine, table, TestRows.rows(block * 30, block * 30 + 30))),
          Optional.of("t"));
    }
    assertThat(CompactFiles.compact(table, java.time.Duration.ZERO)).isZero();
    assertThat(liveFiles(engine, table)).hasSize(3);
  }

  private static List<LatestStateFiles.TableFile> liveFiles(Engine engine, TableSpec table) {
    return new LatestStateFiles(engine, table, 1)
        .list(DeltaLog.latest(engine, table.path()).orElseThrow())
        .unbucketed();
  }

  private static DataFile write(Engine engine, TableSpec table, List<Row> rows) throws Exception {
    return TestRows.writeFile(engine, table, rows);
  }
}

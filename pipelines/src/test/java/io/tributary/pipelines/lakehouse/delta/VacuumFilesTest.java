package io.tributary.pipelines.lakehouse.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.engine.Engine;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TestRows;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files a table stopped using are deleted once their removal is older than the retention. */
public class VacuumFilesTest {
  @TempDir Path root;

  @Test
  void removedFilesGoOnceTheRetentionPassedAndTheTableReadsTheSame() throws Exception {
    Engine engine = LakeFiles.engine();
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("silver/vacuumed", TestRows.SCHEMA);
    lakehouse.create(table);
    List<Row> all = TestRows.rows(0, 300);
    for (int block = 0; block < 10; block++) {
      List<Row> rows = TestRows.rows(block * 30, block * 30 + 30);
      AppendCommit.commit(
          engine, table, List.of(TestRows.writeFile(engine, table, rows)), Optional.of("t"));
    }
    assertThat(CompactFiles.compact(table, Duration.ZERO)).isEqualTo(10);
    assertThat(dataFiles()).hasSize(11);
    Duration retention = Duration.ofMinutes(60);
    long now = System.currentTimeMillis();

    assertThat(VacuumFiles.vacuum(table, retention, now + Duration.ofMinutes(59).toMillis()))
        .as("removed less than the retention ago: still readable by older snapshots")
        .isZero();
    assertThat(dataFiles()).hasSize(11);

    assertThat(VacuumFiles.vacuum(table, retention, now + Duration.ofMinutes(61).toMillis()))
        .isEqualTo(10);
    assertThat(dataFiles()).hasSize(1);
    assertThat(TestRows.multiset(TableReader.read(table.path(), TableFormat.DELTA)))
        .isEqualTo(TestRows.expectedMultiset(all));
    assertThat(VacuumFiles.vacuum(table, retention, now + Duration.ofMinutes(120).toMillis()))
        .as("nothing left to delete")
        .isZero();
  }

  @Test
  void aRetentionBelowAMinuteIsRefused() {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec table = lakehouse.table("silver/refused", TestRows.SCHEMA);
    assertThatThrownBy(() -> VacuumFiles.vacuum(table, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below the minimum");
  }

  private List<Path> dataFiles() throws Exception {
    try (Stream<Path> files = Files.walk(root.resolve("silver/vacuumed"))) {
      return files
          .filter(file -> file.toString().endsWith(".parquet"))
          .filter(file -> !file.toString().contains("_delta_log"))
          .toList();
    }
  }
}

package io.tributary.pipelines.lakehouse.append;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.TestRows;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writes real tables through {@link WriteTable} on the DirectRunner and reads them back. */
public class WriteTableTest {
  private static final String TOPIC = "weather";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void writesEveryTypeAppendsAndRecordsPositions(TableFormat format) throws IOException {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), format);
    TableSpec table = lakehouse.table("bronze/all_types", TestRows.SCHEMA);
    lakehouse.create(table);
    assertThat(lakehouse.frontiers(table, TOPIC)).isEmpty();
    WriteSettings settings =
        WriteSettings.DEFAULTS.withAccountedTopic(java.util.Optional.of(TOPIC));

    List<Row> first = TestRows.rows(0, 10_000);
    TestRows.write(table, format, settings, first);

    assertThat(TestRows.multiset(TableReader.read(table.path(), format)))
        .isEqualTo(TestRows.expectedMultiset(first));
    assertThat(lakehouse.frontiers(table, TOPIC)).isEqualTo(TestRows.nextOffsets(first));
    assertThat(lakehouse.frontiers(table, "another-topic")).isEmpty();
    assertFilesAreSnappy(Path.of(table.path()));
    if (format == TableFormat.DELTA) {
      assertAddActionsHaveStats(Path.of(table.path()), 10_000);
    } else {
      assertThat(Path.of(table.path(), ParquetTables.SCHEMA_FILE)).isRegularFile();
      try (Stream<Path> staged = Files.list(Path.of(table.path(), ParquetTables.STAGING_DIR))) {
        assertThat(staged).as("staged files left after the commit").isEmpty();
      }
    }

    List<Row> second = TestRows.rows(10_000, 20_000);
    TestRows.write(table, format, settings, second);

    List<Row> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(TableReader.count(table.path(), format)).isEqualTo(20_000);
    assertThat(TestRows.multiset(TableReader.read(table.path(), format)))
        .isEqualTo(TestRows.expectedMultiset(all));
    assertThat(lakehouse.frontiers(table, TOPIC)).isEqualTo(TestRows.nextOffsets(all));
  }

  private static void assertFilesAreSnappy(Path table) throws IOException {
    List<Path> files = dataFiles(table);
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData column : block.getColumns()) {
            assertThat(column.getCodec())
                .as("codec of %s in %s", column.getPath(), file)
                .isEqualTo(CompressionCodecName.SNAPPY);
          }
        }
      }
    }
  }

  private static List<Path> dataFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.list(table)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
    }
  }

  /** Every add action of the log carries full statistics; together they count all rows. */
  private static void assertAddActionsHaveStats(Path table, long expectedRows) throws IOException {
    List<JsonNode> adds = new ArrayList<>();
    try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
      for (Path commit : commits.filter(f -> f.toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(commit)) {
          JsonNode action = JSON.readTree(line);
          if (action.has("add")) {
            adds.add(action.get("add"));
          }
        }
      }
    }
    assertThat(adds).isNotEmpty();
    long rows = 0;
    long nullNames = 0;
    for (JsonNode add : adds) {
      JsonNode stats = JSON.readTree(add.get("stats").asText());
      assertThat(stats.has("numRecords")).isTrue();
      assertThat(stats.get("minValues").fieldNames())
          .toIterable()
          .contains("id", "name", "count", "score", "amount", "event_time", "offset");
      assertThat(stats.get("maxValues").get("id").asLong())
          .isGreaterThanOrEqualTo(stats.get("minValues").get("id").asLong());
      nullNames += stats.get("nullCount").get("name").asLong();
      assertThat(stats.get("nullCount").get("id").asLong()).isZero();
      rows += stats.get("numRecords").asLong();
    }
    assertThat(rows).isEqualTo(expectedRows);
    // TestRows makes every 7th name null: rows 0, 7, 14, ...
    assertThat(nullNames).isEqualTo((expectedRows + 6) / 7);
  }
}

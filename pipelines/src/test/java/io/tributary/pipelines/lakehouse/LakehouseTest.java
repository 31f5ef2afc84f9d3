package io.tributary.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.pipelines.lakehouse.append.WriteSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LakehouseTest {
  @TempDir Path root;

  @Test
  void tablesLiveBelowTheRoot() {
    Lakehouse lakehouse = Lakehouse.at(root + "/", TableFormat.DELTA);

    TableSpec table = lakehouse.table("gold/weather_by_city_1m", TestRows.SCHEMA);

    assertThat(table.path()).isEqualTo(root + "/gold/weather_by_city_1m");
    assertThat(table.name()).isEqualTo("gold/weather_by_city_1m");
    assertThat(lakehouse.root()).isEqualTo(root.toString());
  }

  @Test
  void rejectsUnsupportedColumnTypes() {
    Schema schema = Schema.builder().addInt64Field("id").addFloatField("ratio").build();

    assertThatThrownBy(
            () -> Lakehouse.at(root.toString(), TableFormat.DELTA).table("silver/x", schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'ratio' has type FLOAT");
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void createIsIdempotentAndRejectsAnotherSchema(TableFormat format) {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), format);
    lakehouse.create(lakehouse.table("silver/weather", TestRows.SCHEMA));
    lakehouse.create(lakehouse.table("silver/weather", TestRows.SCHEMA));

    Schema changed =
        Schema.builder()
            .addInt64Field("id")
            .addNullableField("name", FieldType.INT64)
            .addStringField("city")
            .build();

    if (format == TableFormat.PARQUET) {
      assertThatThrownBy(() -> lakehouse.create(lakehouse.table("silver/weather", changed)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("table silver/weather")
          .hasMessageContaining("already exists with a different schema")
          .hasMessageContaining(
              "'name' is string (nullable) in the table but long (nullable) requested")
          .hasMessageContaining("'city' is missing from the table")
          .hasMessageContaining("'payload' is in the table but not requested");
      return;
    }
    assertThatThrownBy(() -> lakehouse.create(lakehouse.table("silver/weather", changed)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table silver/weather")
        .hasMessageContaining("cannot take the requested columns")
        .hasMessageContaining(
            "column 'name' is string in the table but long in the schema (changing a field's type"
                + " is not supported")
        .hasMessageContaining(
            "new column 'city' is required, but rows already in the table have no value for it")
        .hasMessageContaining(
            "column 'payload' is in the table but no longer in the schema (removing a field is not"
                + " supported");
  }

  @Test
  void deltaTablesGainNewNullableColumnsAndOldRowsReadThemAsNull() {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);
    TableSpec before = lakehouse.table("silver/evolving", TestRows.SCHEMA);
    lakehouse.create(before, true);
    List<Row> old = TestRows.rows(0, 10);
    TestRows.write(before, TableFormat.DELTA, WriteSettings.DEFAULTS, old);

    Schema evolved =
        Schema.builder()
            .addFields(TestRows.SCHEMA.getFields())
            .addNullableField("wind_gust_ms", FieldType.DOUBLE)
            .build();
    TableSpec after = lakehouse.table("silver/evolving", evolved);
    lakehouse.create(after, true);
    lakehouse.create(after, true);
    Row fresh =
        Row.withSchema(evolved)
            .addValues(TestRows.rows(10, 11).get(0).getValues())
            .addValue(7.5)
            .build();
    TestRows.write(after, TableFormat.DELTA, WriteSettings.DEFAULTS, List.of(fresh));

    List<Map<String, Object>> rows = TableReader.read(after.path(), TableFormat.DELTA);
    assertThat(rows).hasSize(11);
    assertThat(rows.stream().filter(r -> r.get("wind_gust_ms") == null)).hasSize(10);
    assertThat(rows.stream().filter(r -> Double.valueOf(7.5).equals(r.get("wind_gust_ms"))))
        .hasSize(1);
    // Version 0 created it, 1 appended, 2 added the column; the second create changed nothing.
    assertThat(root.resolve("silver/evolving/_delta_log/00000000000000000003.json"))
        .isRegularFile();
    assertThat(root.resolve("silver/evolving/_delta_log/00000000000000000004.json")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void createsAnEmptyTable(TableFormat format) {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), format);
    TableSpec table = lakehouse.table("bronze/empty", TestRows.SCHEMA);

    lakehouse.create(table);

    assertThat(TableReader.count(table.path(), format)).isZero();
    assertThat(lakehouse.frontiers(table, "weather")).isEmpty();
    if (format == TableFormat.DELTA) {
      assertThat(root.resolve("bronze/empty/_delta_log/00000000000000000000.json")).isRegularFile();
    }
  }

  @Test
  void positionsOfATableNeverCreatedAreEmpty() {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);

    assertThat(lakehouse.frontiers(lakehouse.table("bronze/none", TestRows.SCHEMA), "weather"))
        .isEmpty();
  }

  @Test
  void checkWritableAcceptsAMissingDirectoryAndCreatesIt() {
    Path missing = root.resolve("lake/house");

    Lakehouse.at(missing.toString(), TableFormat.PARQUET).checkWritable();

    assertThat(missing).isDirectory().isEmptyDirectory();
  }

  @Test
  void checkWritableRejectsAFile() throws IOException {
    Path file = Files.writeString(root.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> Lakehouse.at(file.toString(), TableFormat.DELTA).checkWritable())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lakehouse root "
                + file
                + " is a file, not a directory: point the lakehouse root at a directory");
  }

  @Test
  void checkWritableRejectsADirectoryBelowAFile() throws IOException {
    Path file = Files.writeString(root.resolve("plain-file"), "x");

    assertThatThrownBy(() -> Lakehouse.at(file + "/lake", TableFormat.DELTA).checkWritable())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lakehouse root " + file + "/lake is not writable: ");
  }
}

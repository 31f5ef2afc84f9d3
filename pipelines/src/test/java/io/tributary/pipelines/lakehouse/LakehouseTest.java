package io.tributary.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
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

    assertThatThrownBy(() -> lakehouse.create(lakehouse.table("silver/weather", changed)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table silver/weather")
        .hasMessageContaining("already exists with a different schema")
        .hasMessageContaining(
            "'name' is string (nullable) in the table but long (nullable) requested")
        .hasMessageContaining("'city' is missing from the table")
        .hasMessageContaining("'payload' is in the table but not requested");
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void createsAnEmptyTable(TableFormat format) {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), format);
    TableSpec table = lakehouse.table("bronze/empty", TestRows.SCHEMA);

    lakehouse.create(table);

    assertThat(TableReader.count(table.path(), format)).isZero();
    assertThat(lakehouse.positions(table, "weather")).isEmpty();
    if (format == TableFormat.DELTA) {
      assertThat(root.resolve("bronze/empty/_delta_log/00000000000000000000.json")).isRegularFile();
    }
  }

  @Test
  void positionsOfATableNeverCreatedAreEmpty() {
    Lakehouse lakehouse = Lakehouse.at(root.toString(), TableFormat.DELTA);

    assertThat(lakehouse.positions(lakehouse.table("bronze/none", TestRows.SCHEMA), "weather"))
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

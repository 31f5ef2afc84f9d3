package io.tributary.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compares two lakehouses written from the same topic (by two runners, or over two connections),
 * table by table and row by row.
 *
 * <p>Two things are allowed to differ, and only those: {@code ingest_time} and gold's {@code
 * computed_at} are wall-clock times of each run, so they are left out; and DOUBLE aggregates may
 * differ in the last bits, because each run adds the partial sums of a window in its own order, so
 * they are compared to 1e-9 relative.
 */
public final class SameTables {
  static final String INGEST_TIME = "ingest_time";
  static final String COMPUTED_AT = "computed_at";

  private SameTables() {}

  /** Both lakehouses hold the same tables, none of them empty, with the same rows. */
  public static void assertSameTables(Path expectedLakehouse, Path actualLakehouse) {
    List<String> tables = tables(expectedLakehouse);
    assertThat(tables(actualLakehouse)).isEqualTo(tables);
    for (String table : tables) {
      List<Map<String, Object>> expected = comparable(expectedLakehouse.resolve(table));
      List<Map<String, Object>> actual = comparable(actualLakehouse.resolve(table));
      assertThat(expected).as(table).isNotEmpty();
      assertThat(actual).as(table + " rows in " + actualLakehouse).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertSameRow(table, expected.get(i), actual.get(i));
      }
    }
  }

  /** layer/table of every table in the lakehouse, sorted. */
  public static List<String> tables(Path lakehouse) {
    List<String> tables = new ArrayList<>();
    for (String layer : List.of("bronze", "silver", "quarantine", "gold")) {
      try (Stream<Path> children = Files.list(lakehouse.resolve(layer))) {
        children.forEach(table -> tables.add(layer + "/" + table.getFileName()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    tables.sort(Comparator.naturalOrder());
    return tables;
  }

  /**
   * The table's rows without ingest_time, byte arrays as hex, sorted by their non-DOUBLE columns
   * (which identify a row in every table: a Kafka position, an event id, or a window and key).
   */
  private static List<Map<String, Object>> comparable(Path table) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> row : TableReader.read(table.toString(), TableFormat.DELTA)) {
      Map<String, Object> values = new LinkedHashMap<>(row);
      values.remove(INGEST_TIME);
      values.remove(COMPUTED_AT);
      values.replaceAll(
          (column, value) ->
              value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : value);
      rows.add(values);
    }
    rows.sort(Comparator.comparing(SameTables::identity));
    return rows;
  }

  private static String identity(Map<String, Object> row) {
    StringBuilder key = new StringBuilder();
    row.forEach(
        (column, value) -> {
          if (!(value instanceof Double)) {
            key.append(column).append('=').append(value).append('|');
          }
        });
    return key.toString();
  }

  private static void assertSameRow(
      String table, Map<String, Object> expected, Map<String, Object> actual) {
    assertThat(actual.keySet()).as(table + " columns").isEqualTo(expected.keySet());
    expected.forEach(
        (column, value) -> {
          String what = table + " " + identity(expected) + " " + column;
          if (value instanceof Double d) {
            assertThat((Double) actual.get(column))
                .as(what)
                .isCloseTo(d, within(Math.max(1e-9, Math.abs(d) * 1e-9)));
          } else {
            assertThat(actual.get(column)).as(what).isEqualTo(value);
          }
        });
  }
}

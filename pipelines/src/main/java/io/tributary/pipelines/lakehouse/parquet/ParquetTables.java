package io.tributary.pipelines.lakehouse.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.storage.LakeFiles;
import io.tributary.pipelines.offsets.OffsetRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Plain Parquet tables: a directory of Parquet files, plus {@value #SCHEMA_FILE} describing the
 * columns and, per Kafka topic, the offsets the table has accounted for in {@code
 * _tributary_positions_<topic>.json} (a name kept from before the word was "accounted": existing
 * lakehouses keep working).
 *
 * <p><b>No atomicity across files.</b> A commit renames its files from {@value #STAGING_DIR} into
 * the table one by one (each rename is atomic), then replaces the accounted-offsets file. A reader
 * listing the directory mid-commit sees part of a commit; a crash mid-commit leaves some files
 * committed whose offsets were not recorded as accounted (they are read again after a restart:
 * duplicates, never loss). Files staged by failed attempts stay in {@value #STAGING_DIR}.
 * Concurrent writers to one Parquet table may lose each other's position updates. Use Delta when
 * any of this matters.
 */
public final class ParquetTables {
  public static final String SCHEMA_FILE = "_tributary_schema.json";
  public static final String STAGING_DIR = "_tributary_tmp";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ParquetTables() {}

  /**
   * Creates the table directory and its schema file, or verifies the existing schema file matches.
   */
  public static void create(TableSpec table) {
    StructType schema = KernelSchemas.toKernel(table.schema());
    Optional<StructType> existing = schema(table.path());
    if (existing.isPresent()) {
      List<String> differences = KernelSchemas.differences(existing.get(), schema);
      if (!differences.isEmpty()) {
        throw new IllegalStateException(
            "table "
                + table.name()
                + " at "
                + table.path()
                + " already exists with a different schema: "
                + String.join("; ", differences)
                + ". Plain Parquet tables cannot evolve: use Delta, or write to a new table.");
      }
      return;
    }
    FileSystem fs = LakeFiles.fileSystem(table.path());
    try {
      fs.mkdirs(new Path(table.path(), STAGING_DIR));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create table directory " + table.path(), e);
    }
    LakeFiles.writeStringAtomically(schemaPath(table.path()), toJson(schema));
  }

  /**
   * The table's columns as its schema file describes them, empty if the table was never created.
   */
  public static Optional<StructType> schema(String tablePath) {
    return LakeFiles.readString(schemaPath(tablePath)).map(ParquetTables::fromJson);
  }

  public static String stagingDir(String tablePath) {
    return new Path(tablePath, STAGING_DIR).toString();
  }

  public static OffsetRanges accounted(String tablePath, String topic) {
    return LakeFiles.readString(accountedPath(tablePath, topic))
        .map(OffsetRanges::fromJson)
        .orElseGet(OffsetRanges::empty);
  }

  /**
   * Moves the staged files into the table, then records the accounted offsets. Safe to repeat after
   * a failure: files already moved by an earlier attempt are skipped, and the accounted offsets
   * only grow.
   */
  public static void commit(
      TableSpec table, List<DataFile> files, Optional<String> accountedTopic) {
    FileSystem fs = LakeFiles.fileSystem(table.path());
    try {
      for (DataFile file : files) {
        if (!file.isFile()) {
          continue;
        }
        Path staged = new Path(file.path());
        Path committed = new Path(table.path(), staged.getName());
        if (!fs.rename(staged, committed) && !(fs.exists(committed) && !fs.exists(staged))) {
          throw new IOException("rename of " + staged + " to " + committed + " failed");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit files to Parquet table " + table.name(), e);
    }
    accountedTopic.ifPresent(
        topic -> {
          OffsetRanges merged = accounted(table.path(), topic);
          files.forEach(file -> merged.addAll(file.accounted()));
          LakeFiles.writeStringAtomically(accountedPath(table.path(), topic), merged.toJson());
        });
  }

  private static String schemaPath(String tablePath) {
    return new Path(tablePath, SCHEMA_FILE).toString();
  }

  public static String accountedPath(String tablePath, String topic) {
    return new Path(tablePath, "_tributary_positions_" + topic + ".json").toString();
  }

  public static String identityPath(String tablePath, String topic) {
    return new Path(tablePath, "_tributary_source_" + topic + ".json").toString();
  }

  private static String toJson(StructType schema) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode columns = root.putArray("columns");
    for (StructField field : schema.fields()) {
      columns
          .addObject()
          .put("name", field.getName())
          .put("type", KernelSchemas.typeName(field.getDataType()))
          .put("nullable", field.isNullable());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode schema " + schema, e);
    }
  }

  private static StructType fromJson(String json) {
    try {
      StructType schema = new StructType();
      for (JsonNode column : JSON.readTree(json).get("columns")) {
        schema =
            schema.add(
                column.get("name").asText(),
                KernelSchemas.parseType(column.get("type").asText()),
                column.get("nullable").asBoolean());
      }
      return schema;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("unreadable table schema file: " + json, e);
    }
  }
}

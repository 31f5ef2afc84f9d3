package io.tributary.pipelines.lakehouse;

import io.tributary.pipelines.lakehouse.append.WriteSettings;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import io.tributary.pipelines.lakehouse.storage.LakeStorage;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * One table of the lakehouse.
 *
 * @param name layer and table, e.g. {@code silver/weather}; also the path below the lakehouse root
 * @param path the table's location: a local directory or {@code abfss://...}
 * @param schema the table's columns, as Beam rows written to it carry them
 * @param storage how the lakehouse's store is reached (workers register it before file access)
 */
public record TableSpec(String name, String path, Schema schema, LakeStorage storage)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Fails pipeline construction, not the first commit, when rows written to this table do not fit
   * it: no schema, other columns, or (with lineage) no non-null INT32 partition and INT64 offset.
   */
  public void checkRows(PCollection<Row> rows, Optional<WriteSettings.Lineage> lineage) {
    if (!rows.hasSchema()) {
      throw new IllegalArgumentException(
          "rows written to " + name + " need a schema: use withRowSchema/setRowSchema");
    }
    List<String> differences =
        KernelSchemas.differences(
            KernelSchemas.toKernel(schema), KernelSchemas.toKernel(rows.getSchema()));
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException(
          "rows do not match the columns of table " + name + ": " + String.join("; ", differences));
    }
    lineage.ifPresent(
        source -> {
          if (!isRequired(source.partitionColumn(), Schema.FieldType.INT32)
              || !isRequired(source.offsetColumn(), Schema.FieldType.INT64)) {
            throw new IllegalArgumentException(
                "recording Kafka offsets of "
                    + source.topic()
                    + " in table "
                    + name
                    + " needs a non-null INT32 '"
                    + source.partitionColumn()
                    + "' and a non-null INT64 '"
                    + source.offsetColumn()
                    + "' column");
          }
        });
  }

  private boolean isRequired(String column, Schema.FieldType type) {
    return schema.hasField(column) && schema.getField(column).getType().equals(type);
  }
}

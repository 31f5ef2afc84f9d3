package io.tributary.pipelines.lakehouse.delta;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.files.KernelSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * How a table's columns move from what it has to what a pipeline asks for. The one evolution
 * allowed is adding nullable columns, which go at the end of the table (an optional field added to
 * a contract); earlier rows read them as null. A column that disappears or changes type is refused:
 * dropping it would lose data, retyping it would make old files unreadable.
 *
 * @param evolved the table's columns after the change
 * @param added names of the columns added
 */
public record SchemaChange(StructType evolved, List<String> added) {

  /**
   * @throws IllegalStateException naming the table and every refused column, with what to do
   */
  static SchemaChange between(TableSpec table, StructType existing, StructType requested) {
    List<String> refused = new ArrayList<>();
    for (StructField actual : existing.fields()) {
      int index = requested.indexOf(actual.getName());
      if (index < 0) {
        refused.add(
            "column '"
                + actual.getName()
                + "' is in the table but no longer in the schema (removing a field is not"
                + " supported: keep it in the contract, optional)");
        continue;
      }
      StructField wanted = requested.at(index);
      if (!actual.getDataType().equals(wanted.getDataType())) {
        refused.add(
            "column '"
                + actual.getName()
                + "' is "
                + KernelSchemas.typeName(actual.getDataType())
                + " in the table but "
                + KernelSchemas.typeName(wanted.getDataType())
                + " in the schema (changing a field's type is not supported: add a new field"
                + " instead)");
      } else if (actual.isNullable() && !wanted.isNullable()) {
        // Writing non-null values into a nullable column is fine; the table keeps it nullable.
        continue;
      } else if (!actual.isNullable() && wanted.isNullable()) {
        refused.add(
            "column '"
                + actual.getName()
                + "' is NOT NULL in the table but nullable in the schema (a required field"
                + " cannot become optional in place)");
      }
    }
    StructType evolved = existing;
    List<String> added = new ArrayList<>();
    for (StructField wanted : requested.fields()) {
      if (existing.indexOf(wanted.getName()) >= 0) {
        continue;
      }
      if (!wanted.isNullable()) {
        refused.add(
            "new column '"
                + wanted.getName()
                + "' is required, but rows already in the table have no value for it (add new"
                + " fields as optional)");
        continue;
      }
      evolved = evolved.add(wanted);
      added.add(wanted.getName());
    }
    if (!refused.isEmpty()) {
      throw new IllegalStateException(
          "table "
              + table.name()
              + " at "
              + table.path()
              + " cannot take the requested columns: "
              + String.join("; ", refused));
    }
    return new SchemaChange(evolved, added);
  }
}

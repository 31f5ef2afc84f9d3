package io.tributary.pipelines.lakehouse.files;

import io.delta.kernel.data.Row;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.tributary.pipelines.lakehouse.TableReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.joda.time.ReadableInstant;

/**
 * The one mapping between Beam schemas/values and the lakehouse's column types, shared by Delta and
 * plain Parquet (both are written through Delta Kernel's Parquet writer, so both use Kernel types).
 *
 * <p>STRING→string, INT32→integer, INT64→long, DOUBLE→double, BOOLEAN→boolean, BYTES→binary,
 * DATETIME→timestamp (UTC microseconds), {@link FixedPrecisionNumeric}(p,s)→decimal(p,s). Beam
 * nullability becomes column nullability. Anything else is rejected when the table is defined, not
 * when the first row arrives.
 */
public final class KernelSchemas {
  /** Delta (and Spark) decimals hold at most 38 digits. */
  private static final int MAX_DECIMAL_PRECISION = 38;

  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),(\\d+)\\)");

  private KernelSchemas() {}

  /**
   * The Kernel schema of a Beam schema, same column order; throws if a column has an unsupported
   * type.
   */
  public static StructType toKernel(Schema schema) {
    StructType struct = new StructType();
    for (Schema.Field field : schema.getFields()) {
      struct =
          struct.add(
              field.getName(),
              toKernel(field.getName(), field.getType()),
              field.getType().getNullable());
    }
    return struct;
  }

  private static DataType toKernel(String column, FieldType type) {
    TypeName name = type.getTypeName();
    switch (name) {
      case STRING:
        return StringType.STRING;
      case INT32:
        return IntegerType.INTEGER;
      case INT64:
        return LongType.LONG;
      case DOUBLE:
        return DoubleType.DOUBLE;
      case BOOLEAN:
        return BooleanType.BOOLEAN;
      case BYTES:
        return BinaryType.BINARY;
      case DATETIME:
        return TimestampType.TIMESTAMP;
      case LOGICAL_TYPE:
        if (FixedPrecisionNumeric.IDENTIFIER.equals(type.getLogicalType().getIdentifier())) {
          org.apache.beam.sdk.values.Row argument = type.getLogicalType().getArgument();
          int precision = argument.getInt32("precision");
          int scale = argument.getInt32("scale");
          if (precision < 1
              || precision > MAX_DECIMAL_PRECISION
              || scale < 0
              || scale > precision) {
            throw unsupported(column, "decimal(" + precision + "," + scale + ")");
          }
          return new DecimalType(precision, scale);
        }
        throw unsupported(column, "logical type " + type.getLogicalType().getIdentifier());
      default:
        throw unsupported(column, name.toString());
    }
  }

  private static IllegalArgumentException unsupported(String column, String type) {
    return new IllegalArgumentException(
        "column '"
            + column
            + "' has type "
            + type
            + ", which the lakehouse cannot store; use STRING, INT32, INT64, DOUBLE, BOOLEAN, BYTES, DATETIME"
            + " or FixedPrecisionNumeric(precision <= 38, scale <= precision)");
  }

  /**
   * A Beam row value as Kernel's column vectors must return it (timestamps as UTC microseconds).
   */
  static Object toKernelValue(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (type instanceof TimestampType) {
      // Microseconds hold about 292,000 years either side of 1970; a wilder instant (a producer
      // may give a Kafka record any timestamp) saturates instead of wrapping around.
      long millis = ((ReadableInstant) value).getMillis();
      return millis > Long.MAX_VALUE / 1000L
          ? Long.MAX_VALUE
          : millis < Long.MIN_VALUE / 1000L ? Long.MIN_VALUE : millis * 1000L;
    }
    if (type instanceof DecimalType decimal) {
      // Kernel writes the unscaled value, so the scale must be exactly the column's.
      // UNNECESSARY: a value with more decimals fails instead of being rounded silently.
      return ((BigDecimal) value).setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
    }
    return value;
  }

  /** The Java value of one column of a Kernel row, as {@link TableReader} documents it. */
  public static Object javaValue(Row row, int ordinal, DataType type) {
    if (row.isNullAt(ordinal)) {
      return null;
    }
    if (type instanceof StringType) {
      return row.getString(ordinal);
    } else if (type instanceof IntegerType) {
      return row.getInt(ordinal);
    } else if (type instanceof LongType) {
      return row.getLong(ordinal);
    } else if (type instanceof DoubleType) {
      return row.getDouble(ordinal);
    } else if (type instanceof BooleanType) {
      return row.getBoolean(ordinal);
    } else if (type instanceof BinaryType) {
      return row.getBinary(ordinal);
    } else if (type instanceof DecimalType) {
      return row.getDecimal(ordinal);
    } else if (type instanceof TimestampType) {
      return Instant.EPOCH.plus(row.getLong(ordinal), ChronoUnit.MICROS);
    }
    throw new IllegalArgumentException("column type " + type + " is not a lakehouse type");
  }

  /** The Delta spelling of a column type, e.g. {@code long} or {@code decimal(18,2)}. */
  public static String typeName(DataType type) {
    if (type instanceof DecimalType decimal) {
      return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
    }
    return type.toString();
  }

  /** The inverse of {@link #typeName}, for the schema file of Parquet tables. */
  public static DataType parseType(String name) {
    Matcher decimal = DECIMAL.matcher(name);
    if (decimal.matches()) {
      return new DecimalType(
          Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    return switch (name) {
      case "string" -> StringType.STRING;
      case "integer" -> IntegerType.INTEGER;
      case "long" -> LongType.LONG;
      case "double" -> DoubleType.DOUBLE;
      case "boolean" -> BooleanType.BOOLEAN;
      case "binary" -> BinaryType.BINARY;
      case "timestamp" -> TimestampType.TIMESTAMP;
      default -> throw new IllegalArgumentException("unknown column type '" + name + "'");
    };
  }

  /**
   * What differs between an existing table's columns and the requested ones, one phrase per column,
   * empty if they match (name, order, type and nullability).
   */
  public static List<String> differences(StructType existing, StructType requested) {
    List<String> differences = new ArrayList<>();
    for (StructField wanted : requested.fields()) {
      int index = existing.indexOf(wanted.getName());
      if (index < 0) {
        differences.add("'" + wanted.getName() + "' is missing from the table");
        continue;
      }
      StructField actual = existing.at(index);
      if (!actual.getDataType().equals(wanted.getDataType())
          || actual.isNullable() != wanted.isNullable()) {
        differences.add(
            "'"
                + wanted.getName()
                + "' is "
                + describe(actual)
                + " in the table but "
                + describe(wanted)
                + " requested");
      } else if (index != requested.indexOf(wanted.getName())) {
        differences.add("'" + wanted.getName() + "' is at position " + index + " in the table");
      }
    }
    for (StructField actual : existing.fields()) {
      if (requested.indexOf(actual.getName()) < 0) {
        differences.add("'" + actual.getName() + "' is in the table but not requested");
      }
    }
    return differences;
  }

  private static String describe(StructField field) {
    return typeName(field.getDataType()) + (field.isNullable() ? " (nullable)" : " (not null)");
  }

  /**
   * A value as {@link #javaValue} returns it, in the type Beam rows hold: timestamps become Joda
   * instants (millisecond precision, like the rows written); the rest is unchanged.
   */
  public static Object beamValue(Object value) {
    return value instanceof java.time.Instant instant
        ? new org.joda.time.Instant(instant.toEpochMilli())
        : value;
  }
}

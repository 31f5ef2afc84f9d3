package io.tributary.pipelines.coders;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * Encodes rows of a flat schema (strings, ints, longs, doubles, booleans, timestamps, decimals,
 * bytes; at most 64 fields) value by value after one null mask, with no per-value coder objects,
 * streams or bit sets. Beam's {@link RowCoder} does all of that per row, which made encoding the
 * rows de-duplication buffers the largest cost of a drain after parsing and Parquet writing.
 *
 * <p>Not Beam's row encoding: use it where the bytes stay within one pipeline (accumulators,
 * state), not across SDKs.
 */
public final class FlatRowCoder extends CustomCoder<Row> {
  private static final long serialVersionUID = 1L;

  private enum Kind {
    STRING,
    INT32,
    INT64,
    DOUBLE,
    BOOLEAN,
    DATETIME,
    DECIMAL,
    BYTES
  }

  private final Schema schema;
  private final Kind[] kinds;

  private FlatRowCoder(Schema schema, Kind[] kinds) {
    this.schema = schema;
    this.kinds = kinds;
  }

  /** This coder for a flat schema, Beam's {@link RowCoder} for any other. */
  public static Coder<Row> of(Schema schema) {
    if (schema.getFieldCount() > Long.SIZE) {
      return RowCoder.of(schema);
    }
    Kind[] kinds = new Kind[schema.getFieldCount()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kind(schema.getField(i).getType());
      if (kinds[i] == null) {
        return RowCoder.of(schema);
      }
    }
    return new FlatRowCoder(schema, kinds);
  }

  /** This coder for the rows of a schema'd PCollection's {@code coder} if flat, else that coder. */
  public static Coder<Row> of(Coder<Row> coder) {
    return coder instanceof SchemaCoder<?> schemaCoder ? of(schemaCoder.getSchema()) : coder;
  }

  private static Kind kind(FieldType type) {
    TypeName name = type.getTypeName();
    if (name == TypeName.LOGICAL_TYPE) {
      return FixedPrecisionNumeric.IDENTIFIER.equals(type.getLogicalType().getIdentifier())
          ? Kind.DECIMAL
          : null;
    }
    return switch (name) {
      case STRING -> Kind.STRING;
      case INT32 -> Kind.INT32;
      case INT64 -> Kind.INT64;
      case DOUBLE -> Kind.DOUBLE;
      case BOOLEAN -> Kind.BOOLEAN;
      case DATETIME -> Kind.DATETIME;
      case DECIMAL -> Kind.DECIMAL;
      case BYTES -> Kind.BYTES;
      default -> null;
    };
  }

  @Override
  public void encode(Row row, OutputStream out) throws IOException {
    long nulls = 0;
    for (int i = 0; i < kinds.length; i++) {
      if (row.getValue(i) == null) {
        nulls |= 1L << i;
      }
    }
    writeVarLong(nulls, out);
    for (int i = 0; i < kinds.length; i++) {
      Object value = row.getValue(i);
      if (value == null) {
        continue;
      }
      switch (kinds[i]) {
        case STRING -> writeBytes(((String) value).getBytes(StandardCharsets.UTF_8), out);
        case INT32 -> writeVarLong(Integer.toUnsignedLong((Integer) value), out);
        case INT64 -> writeVarLong((Long) value, out);
        case DOUBLE -> writeLong(Double.doubleToRawLongBits((Double) value), out);
        case BOOLEAN -> out.write((Boolean) value ? 1 : 0);
        case DATETIME -> writeVarLong(((ReadableInstant) value).getMillis(), out);
        case DECIMAL -> {
          BigDecimal decimal = (BigDecimal) value;
          writeVarLong(Integer.toUnsignedLong(decimal.scale()), out);
          writeBytes(decimal.unscaledValue().toByteArray(), out);
        }
        case BYTES -> writeBytes((byte[]) value, out);
      }
    }
  }

  @Override
  public Row decode(InputStream in) throws IOException {
    long nulls = readVarLong(in);
    Object[] values = new Object[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      if ((nulls & (1L << i)) != 0) {
        continue;
      }
      values[i] =
          switch (kinds[i]) {
            case STRING -> new String(readBytes(in), StandardCharsets.UTF_8);
            case INT32 -> (int) readVarLong(in);
            case INT64 -> readVarLong(in);
            case DOUBLE -> Double.longBitsToDouble(readLong(in));
            case BOOLEAN -> readByte(in) != 0;
            case DATETIME -> new Instant(readVarLong(in));
            case DECIMAL -> {
              int scale = (int) readVarLong(in);
              yield new BigDecimal(new BigInteger(readBytes(in)), scale);
            }
            case BYTES -> readBytes(in);
          };
    }
    return Row.withSchema(schema).attachValues(Arrays.asList(values));
  }

  // Varints as Beam's VarInt writes them, but with our own call sites: Beam's are shared by every
  // coder and stream type, so the JIT cannot inline the per-byte stream calls in them.

  private static void writeVarLong(long value, OutputStream out) throws IOException {
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      out.write((int) ((rest & 0x7F) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  private static long readVarLong(InputStream in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < Long.SIZE; shift += 7) {
      int b = readByte(in);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("a varint is longer than 10 bytes");
  }

  private static void writeBytes(byte[] bytes, OutputStream out) throws IOException {
    writeVarLong(bytes.length, out);
    out.write(bytes, 0, bytes.length);
  }

  private static void writeLong(long value, OutputStream out) throws IOException {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("a row ends early");
    }
    return b;
  }

  private static long readLong(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | readByte(in);
    }
    return value;
  }

  private static byte[] readBytes(InputStream in) throws IOException {
    byte[] bytes = new byte[(int) readVarLong(in)];
    int read = 0;
    while (read < bytes.length) {
      int n = in.read(bytes, read, bytes.length - read);
      if (n < 0) {
        throw new EOFException("a row ends early");
      }
      read += n;
    }
    return bytes;
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    // As Beam's DoubleCoder: floating point encodings are not guaranteed to be deterministic.
    if (Arrays.asList(kinds).contains(Kind.DOUBLE)) {
      throw new NonDeterministicException(this, "the schema has floating point fields");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FlatRowCoder coder && schema.equals(coder.schema);
  }

  @Override
  public int hashCode() {
    return schema.hashCode();
  }

  @Override
  public String toString() {
    return "FlatRowCoder" + schema;
  }
}

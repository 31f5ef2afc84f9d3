package io.tributary.pipelines.silver;

import io.tributary.contracts.Contract;
import io.tributary.contracts.Field;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * A dataset's silver table, derived from its contract: the contract's fields in schema order with
 * their typed columns ({@code event_time} a UTC timestamp, decimals with their declared scale),
 * then the record's Kafka lineage.
 */
public final class SilverSchema {
  /** Decimal precision of contract decimals; the scale comes from the contract. */
  public static final int DECIMAL_PRECISION = io.tributary.contracts.FieldType.DECIMAL_PRECISION;

  public static final String KAFKA_PARTITION = "kafka_partition";
  public static final String KAFKA_OFFSET = "kafka_offset";
  public static final String INGEST_TIME = "ingest_time";

  private static final ConcurrentHashMap<String, Schema> CACHE = new ConcurrentHashMap<>();

  private SilverSchema() {}

  public static Schema of(Contract contract) {
    return CACHE.computeIfAbsent(contract.dataset(), name -> build(contract));
  }

  private static Schema build(Contract contract) {
    Schema.Builder schema = Schema.builder();
    for (Field field : contract.fields()) {
      schema.addField(
          Schema.Field.of(field.name(), columnType(field)).withNullable(!field.required()));
    }
    return schema
        .addInt32Field(KAFKA_PARTITION)
        .addInt64Field(KAFKA_OFFSET)
        .addDateTimeField(INGEST_TIME)
        .build();
  }

  static FieldType columnType(Field field) {
    return switch (field.type()) {
      case STRING -> FieldType.STRING;
      case INT -> FieldType.INT32;
      case LONG -> FieldType.INT64;
      case DOUBLE -> FieldType.DOUBLE;
      case BOOLEAN -> FieldType.BOOLEAN;
      case TIMESTAMP -> FieldType.DATETIME;
      case DECIMAL ->
          FieldType.logicalType(FixedPrecisionNumeric.of(DECIMAL_PRECISION, field.scale()));
    };
  }

  /**
   * A silver row from a parsed event's values (as {@link io.tributary.contracts.ParseOutcome.Valid}
   * holds them).
   */
  public static Row row(
      Contract contract, Object[] values, int partition, long offset, long ingestTimeMillis) {
    int count = values.length;
    Object[] columns = new Object[count + 3];
    for (int i = 0; i < count; i++) {
      Object value = values[i];
      columns[i] =
          value instanceof java.time.Instant instant ? new Instant(instant.toEpochMilli()) : value;
    }
    columns[count] = partition;
    columns[count + 1] = offset;
    columns[count + 2] = new Instant(ingestTimeMillis);
    // The parser already produced each column's Java type, so skip Row.Builder's per-row type
    // checks: they cost about a quarter of a drain's CPU (JFR).
    return Row.withSchema(of(contract)).attachValues(Arrays.asList(columns));
  }
}

package io.tributary.pipelines.bronze;

import java.util.Arrays;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * The bronze table: every Kafka record exactly as received, never parsed and never filtered. The
 * same rows feed the silver stage, so a record is read from Kafka once.
 */
public final class BronzeSchema {
  public static final String KEY = "key";
  public static final String VALUE = "value";
  public static final String TOPIC = "topic";
  public static final String PARTITION = "partition";
  public static final String OFFSET = "offset";
  public static final String KAFKA_TIMESTAMP = "kafka_timestamp";
  public static final String INGEST_TIME = "ingest_time";

  public static final Schema SCHEMA =
      Schema.builder()
          .addNullableField(KEY, FieldType.BYTES)
          .addNullableField(VALUE, FieldType.BYTES)
          .addStringField(TOPIC)
          .addInt32Field(PARTITION)
          .addInt64Field(OFFSET)
          .addDateTimeField(KAFKA_TIMESTAMP)
          .addDateTimeField(INGEST_TIME)
          .build();

  private BronzeSchema() {}

  /** A bronze row. {@code key} and {@code value} are the raw bytes, possibly null. */
  public static Row row(
      byte[] key,
      byte[] value,
      String topic,
      int partition,
      long offset,
      long kafkaTimestampMillis,
      long ingestTimeMillis) {
    // Values of exactly the schema's types: attachValues skips Row.Builder's per-row checks.
    return Row.withSchema(SCHEMA)
        .attachValues(
            Arrays.asList(
                key,
                value,
                topic,
                partition,
                offset,
                new Instant(kafkaTimestampMillis),
                new Instant(ingestTimeMillis)));
  }
}

package io.tributary.pipelines.silver;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * The quarantine table: every record that failed parsing or validation, with its original bytes and
 * why it failed.
 */
public final class QuarantineSchema {
  public static final String PAYLOAD = "payload";
  public static final String KEY = "key";
  public static final String TOPIC = "topic";
  public static final String PARTITION = "partition";
  public static final String OFFSET = "offset";
  public static final String KAFKA_TIMESTAMP = "kafka_timestamp";
  public static final String STAGE = "stage";
  public static final String RULE = "rule";
  public static final String FIELD = "field";
  public static final String REASON = "reason";
  public static final String INGEST_TIME = "ingest_time";

  public static final Schema SCHEMA =
      Schema.builder()
          .addNullableField(PAYLOAD, FieldType.BYTES)
          .addNullableField(KEY, FieldType.BYTES)
          .addStringField(TOPIC)
          .addInt32Field(PARTITION)
          .addInt64Field(OFFSET)
          .addDateTimeField(KAFKA_TIMESTAMP)
          .addStringField(STAGE)
          .addStringField(RULE)
          .addNullableField(FIELD, FieldType.STRING)
          .addStringField(REASON)
          .addDateTimeField(INGEST_TIME)
          .build();

  private QuarantineSchema() {}
}

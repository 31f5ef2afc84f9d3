package io.tributary.contracts;

/**
 * The typed column a contract field becomes once parsed. Derived from the JSON Schema keywords of
 * the field: {@code "type"}, plus {@code "format"} ({@code date-time}, {@code int32}) and {@code
 * "multipleOf": 0.01} for decimals.
 */
public enum FieldType {
  /** Java {@link String}. */
  STRING,
  /** Java {@link Integer}: {@code "type": "integer", "format": "int32"}. */
  INT,
  /** Java {@link Long}: {@code "type": "integer"}. */
  LONG,
  /** Java {@link Double}: {@code "type": "number"}. */
  DOUBLE,
  /**
   * Java {@link java.math.BigDecimal} with a fixed scale: {@code "type": "number", "multipleOf":
   * 0.01}.
   */
  DECIMAL,
  /** Java {@link Boolean}. */
  BOOLEAN,
  /**
   * Java {@link java.time.Instant} (UTC): {@code "type": "string", "format": "date-time"}, from
   * {@link #EARLIEST_TIMESTAMP} to before {@link #END_OF_TIMESTAMPS}.
   */
  TIMESTAMP;

  /**
   * Digits of a {@link #DECIMAL} column (its scale comes from the contract): a value with more
   * digits before the point than this less the scale does not fit.
   */
  public static final int DECIMAL_PRECISION = 18;

  /**
   * The earliest timestamp a contract accepts. Every instant from here to {@link
   * #END_OF_TIMESTAMPS} means the same to Java, Beam, Parquet (micros), Delta and Spark: no
   * calendar rebasing (before 1582 Spark may refuse to read Parquet timestamps it did not write),
   * no overflow.
   */
  public static final java.time.Instant EARLIEST_TIMESTAMP =
      java.time.Instant.parse("1900-01-01T00:00:00Z");

  /** The first instant after the last accepted one: Spark's and Delta's timestamps end in 9999. */
  public static final java.time.Instant END_OF_TIMESTAMPS =
      java.time.Instant.parse("+10000-01-01T00:00:00Z");
}

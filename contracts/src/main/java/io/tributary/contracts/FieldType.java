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
  /** Java {@link java.time.Instant} (UTC): {@code "type": "string", "format": "date-time"}. */
  TIMESTAMP
}

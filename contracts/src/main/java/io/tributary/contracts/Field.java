package io.tributary.contracts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One field of an event contract, with the rules a value must satisfy.
 *
 * @param name JSON field name, also the column name in silver
 * @param type typed column it becomes
 * @param required present and non-null in every valid event
 * @param minimum inclusive lower bound for numbers, if any
 * @param exclusiveMinimum exclusive lower bound for numbers, if any
 * @param maximum inclusive upper bound for numbers, if any
 * @param allowedValues the only values a string may take; empty means any
 * @param pattern regular expression a string must match, if any
 * @param minLength minimum string length (0 means none)
 * @param uuid whether a string must be a canonical UUID
 * @param scale decimal places for {@link FieldType#DECIMAL}, else 0
 * @param description free text from the schema
 */
public record Field(
    String name,
    FieldType type,
    boolean required,
    Optional<Double> minimum,
    Optional<Double> exclusiveMinimum,
    Optional<Double> maximum,
    List<String> allowedValues,
    Optional<Pattern> pattern,
    int minLength,
    boolean uuid,
    int scale,
    String description) {

  /** Whether the value is numeric, so range rules apply. */
  public boolean isNumeric() {
    return type == FieldType.INT
        || type == FieldType.LONG
        || type == FieldType.DOUBLE
        || type == FieldType.DECIMAL;
  }

  /** Whether the value has a lower or an upper bound. */
  public boolean isBounded() {
    return minimum.isPresent() || exclusiveMinimum.isPresent() || maximum.isPresent();
  }

  /** The rules of this field in words, as the README documents them. */
  public String describeRules() {
    StringBuilder rules = new StringBuilder(required ? "required" : "optional");
    rules.append(", ").append(type.name().toLowerCase(java.util.Locale.ROOT));
    if (type == FieldType.DECIMAL) {
      rules.append(" (at most ").append(scale).append(" decimal places)");
    }
    if (type == FieldType.TIMESTAMP) {
      rules.append(" (ISO-8601 instant, years 1900 to 9999)");
    }
    if (uuid) {
      rules.append(" (UUID)");
    }
    if (isBounded()) {
      rules.append(", ");
      minimum.ifPresent(min -> rules.append(Numbers.format(min)).append(" ≤ "));
      exclusiveMinimum.ifPresent(min -> rules.append(Numbers.format(min)).append(" < "));
      rules.append("value");
      maximum.ifPresent(max -> rules.append(" ≤ ").append(Numbers.format(max)));
    }
    if (!allowedValues.isEmpty()) {
      rules.append(", one of ").append(String.join(" | ", allowedValues));
    }
    pattern.ifPresent(p -> rules.append(", matches ").append(p.pattern()));
    if (minLength > 0) {
      rules.append(", not empty");
    }
    return rules.toString();
  }
}

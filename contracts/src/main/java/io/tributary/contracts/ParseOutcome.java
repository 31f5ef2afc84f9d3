package io.tributary.contracts;

import java.util.Arrays;

/**
 * What {@link EventParser#parse} makes of one payload: a valid event, or a rejection with its
 * reason.
 */
public sealed interface ParseOutcome permits ParseOutcome.Valid, ParseOutcome.Rejected {

  /** Where a payload was rejected. */
  enum Stage {
    /** Not UTF-8, not JSON, or not a JSON object: the payload is malformed. */
    PARSE,
    /** Well-formed JSON that breaks a contract rule: the event is invalid. */
    VALIDATE;

    /** The lower-case name used in quarantine tables and metrics. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A valid event. {@code values} follow {@link Contract#fields()}; absent optional fields are
   * null.
   *
   * @param contract the contract it satisfies
   * @param values typed values: String, Integer, Long, Double, BigDecimal, Boolean or Instant
   */
  record Valid(Contract contract, Object[] values) implements ParseOutcome {
    /** The value of a field by name. */
    public Object get(String field) {
      int index = contract.indexOf(field);
      if (index < 0) {
        throw new IllegalArgumentException("no field " + field + " in " + contract.dataset());
      }
      return values[index];
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Valid that
          && contract.dataset().equals(that.contract.dataset())
          && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
      return contract.dataset().hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Valid" + Arrays.toString(values);
    }
  }

  /**
   * A rejected payload.
   *
   * @param stage parse (malformed) or validate (invalid)
   * @param rule the rule that failed, a stable identifier such as {@code maximum} or {@code
   *     required}
   * @param field the field concerned, or null for whole-payload problems
   * @param reason a human-readable sentence naming the rule, the field and the offending value
   */
  record Rejected(Stage stage, String rule, String field, String reason) implements ParseOutcome {}
}

package io.tributary.contracts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import java.io.CharConversionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Parses a raw payload (UTF-8 JSON bytes) and validates it against a {@link Contract} in a single
 * streaming pass.
 *
 * <p>Malformed payloads (not UTF-8, not JSON, not a JSON object, a field given twice, a string
 * field holding a lone UTF-16 surrogate) are rejected at stage {@code parse}, even when they also
 * break a rule; well-formed payloads that break a rule are rejected at stage {@code validate} with
 * the first broken rule in field order. Unknown fields are ignored.
 *
 * <p>Work and memory per payload are bounded by its size, whatever it holds: Jackson's stream
 * constraints cap nesting (1,000 levels) and number length (1,000 characters); a number's exponent
 * is checked before the number is ever expanded (so {@code 1e999999999} costs what {@code 1e9}
 * costs); reasons quote at most 60 characters of a value. Not thread-safe: one per thread.
 */
public final class EventParser {

  // The fast double parser reads numbers to the same doubles as Double.parseDouble, in a fraction
  // of its time (numbers are most of a weather event). Field names are not interned: a payload with
  // thousands of made-up field names must not fill the JVM's string table.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();
  private static final int MAX_VALUE_IN_REASON = 60;

  private final Contract contract;
  private final List<Field> fields;

  EventParser(Contract contract) {
    this.contract = contract;
    this.fields = contract.fields();
  }

  /** Parses and validates one payload. Never throws for bad input. */
  public ParseOutcome parse(byte[] payload) {
    if (payload == null) {
      return new Rejected(
          Stage.PARSE, "tombstone", null, "payload is null (a tombstone record: no event)");
    }
    if (payload.length == 0) {
      return new Rejected(Stage.PARSE, "json", null, "payload is empty");
    }
    String notUtf8 = Utf8.problem(payload);
    if (notUtf8 != null) {
      return new Rejected(Stage.PARSE, "utf8", null, "payload is not valid UTF-8: " + notUtf8);
    }
    try {
      return parseJson(payload);
    } catch (RuntimeException e) {
      // Jackson signals a few limits with unchecked exceptions (a symbol table flooded by
      // colliding field names): still a payload we cannot read, never a reason to stop a pipeline.
      return new Rejected(
          Stage.PARSE,
          "json",
          null,
          "payload could not be parsed: " + e.getClass().getSimpleName() + ": " + firstLine(e));
    }
  }

  private ParseOutcome parseJson(byte[] payload) {
    Object[] values = new Object[fields.size()];
    boolean[] seen = new boolean[fields.size()];
    Rejected firstViolation = null;
    try (JsonParser parser = JSON.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new Rejected(Stage.PARSE, "json", null, "payload is not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        int index = contract.indexOf(name);
        if (index < 0) {
          parser.skipChildren();
          continue;
        }
        if (seen[index]) {
          return new Rejected(
              Stage.PARSE, "duplicate-field", name, "field '" + name + "' appears twice");
        }
        seen[index] = true;
        Field field = fields.get(index);
        Object value = null;
        Rejected violation = null;
        try {
          value = read(parser, field);
        } catch (Violation v) {
          if (v.rejection.stage() == Stage.PARSE) {
            return v.rejection;
          }
          violation = v.rejection;
          parser.skipChildren();
        }
        values[index] = value;
        if (violation == null && value != null) {
          violation = checkRules(field, value);
        }
        if (firstViolation == null && violation != null) {
          firstViolation = violation;
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return new Rejected(Stage.PARSE, "json", null, "payload is not a single JSON object");
      }
      if (parser.nextToken() != null) {
        return new Rejected(Stage.PARSE, "json", null, "unexpected content after the JSON object");
      }
    } catch (CharConversionException e) {
      return new Rejected(Stage.PARSE, "utf8", null, "payload is not valid UTF-8: " + firstLine(e));
    } catch (JsonEOFException e) {
      return new Rejected(Stage.PARSE, "json", null, "payload is truncated JSON: " + firstLine(e));
    } catch (JsonParseException e) {
      String message = firstLine(e);
      String rule = message.contains("UTF-8") || message.contains("UTF8") ? "utf8" : "json";
      return new Rejected(
          Stage.PARSE,
          rule,
          null,
          ("utf8".equals(rule) ? "payload is not valid UTF-8: " : "payload is not valid JSON: ")
              + message);
    } catch (IOException e) {
      return new Rejected(Stage.PARSE, "json", null, "payload is not valid JSON: " + firstLine(e));
    }
    // Required fields are checked in schema order, before value rules of later fields, so the
    // reason names
    // the first problem a reader of the schema would find.
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      if (field.required() && values[i] == null) {
        Rejected missing =
            new Rejected(
                Stage.VALIDATE,
                "required",
                field.name(),
                seen[i]
                    ? "required field '" + field.name() + "' is null"
                    : "required field '" + field.name() + "' is missing");
        if (firstViolation == null || contract.indexOf(firstViolation.field()) > i) {
          firstViolation = missing;
        }
        break;
      }
    }
    if (firstViolation != null) {
      return firstViolation;
    }
    return new ParseOutcome.Valid(contract, values);
  }

  private static Object read(JsonParser parser, Field field) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    switch (field.type()) {
      case STRING, TIMESTAMP -> {
        if (token != JsonToken.VALUE_STRING) {
          throw wrongType(parser, field, "a string");
        }
        String text = parser.getText();
        if (field.type() == FieldType.TIMESTAMP) {
          return timestamp(field, text);
        }
        if (hasLoneSurrogate(text)) {
          throw new Violation(
              new Rejected(
                  Stage.PARSE,
                  "utf8",
                  field.name(),
                  "field '"
                      + field.name()
                      + "' holds a lone UTF-16 surrogate (an escape such as \\ud800 without its"
                      + " pair): not Unicode text, so not storable as UTF-8"));
        }
        return text;
      }
      case BOOLEAN -> {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw wrongType(parser, field, "true or false");
        }
        return token == JsonToken.VALUE_TRUE;
      }
      case DOUBLE -> {
        if (!token.isNumeric()) {
          throw wrongType(parser, field, "a number");
        }
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          throw doesNotFit(parser, field, "a double");
        }
        return value;
      }
      case DECIMAL -> {
        if (!token.isNumeric()) {
          throw wrongType(parser, field, "a number");
        }
        // Exact arithmetic on a BigDecimal costs what its digits cost once expanded: only its
        // precision and scale are looked at until it is known to fit (1e999999999 would expand to
        // a billion digits).
        BigDecimal value = parser.getDecimalValue();
        if (value.signum() == 0) {
          // 0e-999999999 is zero too; rescaling it would not be.
          return BigDecimal.ZERO.setScale(field.scale());
        }
        value = value.stripTrailingZeros();
        if (value.scale() > field.scale()) {
          throw new Violation(
              field,
              "decimal-places",
              "field '"
                  + field.name()
                  + "' = "
                  + numberText(parser)
                  + " has more than "
                  + field.scale()
                  + " decimal places");
        }
        if (integerDigits(value) > FieldType.DECIMAL_PRECISION - field.scale()) {
          throw doesNotFit(
              parser, field, "decimal(" + FieldType.DECIMAL_PRECISION + "," + field.scale() + ")");
        }
        return value.setScale(field.scale(), RoundingMode.UNNECESSARY);
      }
      case INT, LONG -> {
        if (!token.isNumeric()) {
          throw wrongType(parser, field, "an integer");
        }
        BigDecimal value = parser.getDecimalValue();
        if (value.signum() == 0) {
          return field.type() == FieldType.INT ? (Object) 0 : (Object) 0L;
        }
        value = value.stripTrailingZeros();
        if (value.scale() > 0) {
          throw wrongType(parser, field, "an integer");
        }
        long min = field.type() == FieldType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = field.type() == FieldType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
        // compareTo looks at the exponents first, so a huge exponent costs nothing here.
        if (value.compareTo(BigDecimal.valueOf(min)) < 0
            || value.compareTo(BigDecimal.valueOf(max)) > 0) {
          throw doesNotFit(parser, field, field.type() == FieldType.INT ? "int" : "long");
        }
        if (field.type() == FieldType.INT) {
          return value.intValueExact();
        }
        return value.longValueExact();
      }
      default -> throw new IllegalStateException("unhandled type " + field.type());
    }
  }

  /** An ISO-8601 instant from {@link FieldType#EARLIEST_TIMESTAMP} to before the end of 9999. */
  private static java.time.Instant timestamp(Field field, String text) throws Violation {
    java.time.Instant instant = null;
    // No instant is written in more than 40 characters; a longer text is not parsed at all.
    if (text.length() <= 40) {
      try {
        instant = Instants.parse(text);
      } catch (DateTimeParseException e) {
        instant = null;
      }
    }
    if (instant == null) {
      throw new Violation(
          field,
          "format",
          "field '"
              + field.name()
              + "' = "
              + quote(text)
              + " is not an ISO-8601 instant such as 2026-11-21T04:42:00.123Z");
    }
    if (instant.isBefore(FieldType.EARLIEST_TIMESTAMP)
        || !instant.isBefore(FieldType.END_OF_TIMESTAMPS)) {
      throw new Violation(
          field,
          "range",
          "field '"
              + field.name()
              + "' = "
              + quote(text)
              + " is outside "
              + FieldType.EARLIEST_TIMESTAMP
              + " to 9999-12-31T23:59:59.999Z (the instants Beam, Parquet, Delta and Spark all"
              + " hold)");
    }
    return instant;
  }

  /** Digits before the decimal point, from precision and scale only (0 for a value below 1). */
  private static long integerDigits(BigDecimal value) {
    return value.signum() == 0 ? 0 : Math.max(0, (long) value.precision() - value.scale());
  }

  /** Whether a string holds a UTF-16 surrogate without its pair (from an escape like \ud800). */
  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  private static Rejected checkRules(Field field, Object value) {
    if (field.isNumeric()) {
      double number = ((Number) value).doubleValue();
      if (field.minimum().isPresent() && number < field.minimum().get()) {
        return rejected(
            field,
            "minimum",
            "is below the minimum " + Numbers.format(field.minimum().get()),
            shown(value));
      }
      if (field.exclusiveMinimum().isPresent() && number <= field.exclusiveMinimum().get()) {
        return rejected(
            field,
            "minimum",
            "must be greater than " + Numbers.format(field.exclusiveMinimum().get()),
            shown(value));
      }
      if (field.maximum().isPresent() && number > field.maximum().get()) {
        return rejected(
            field,
            "maximum",
            "is above the maximum " + Numbers.format(field.maximum().get()),
            shown(value));
      }
      return null;
    }
    if (value instanceof String text) {
      if (text.length() < field.minLength()) {
        return rejected(field, "min-length", "is empty", quote(text));
      }
      if (!field.allowedValues().isEmpty() && !field.allowedValues().contains(text)) {
        return rejected(
            field,
            "enum",
            "is not one of " + String.join(", ", field.allowedValues()),
            quote(text));
      }
      if (field.pattern().isPresent() && !field.pattern().get().matcher(text).matches()) {
        return rejected(
            field, "pattern", "does not match " + field.pattern().get().pattern(), quote(text));
      }
      if (field.uuid() && !isUuid(text)) {
        return rejected(field, "format", "is not a UUID", quote(text));
      }
    }
    return null;
  }

  /** A number as a rejection message shows it (only built for a rejection: it is not cheap). */
  private static String shown(Object value) {
    return value instanceof BigDecimal d
        ? d.stripTrailingZeros().toPlainString()
        : value instanceof Double number ? Numbers.format(number) : value.toString();
  }

  /** Canonical 8-4-4-4-12 hex form; stricter and cheaper than {@link java.util.UUID#fromString}. */
  static boolean isUuid(String text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return false;
        }
      } else if (Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static Rejected rejected(Field field, String rule, String problem, String shownValue) {
    return new Rejected(
        Stage.VALIDATE,
        rule,
        field.name(),
        "field '" + field.name() + "' = " + shownValue + " " + problem);
  }

  private static Violation wrongType(JsonParser parser, Field field, String expected)
      throws IOException {
    JsonToken token = parser.currentToken();
    String shown =
        switch (token) {
          case VALUE_STRING -> "string " + quote(parser.getText());
          case START_OBJECT -> "an object";
          case START_ARRAY -> "an array";
          default -> token.isNumeric() ? "number " + numberText(parser) : parser.getText();
        };
    return new Violation(
        field, "type", "field '" + field.name() + "' must be " + expected + ", got " + shown);
  }

  /** A number too large or too small for its column; the reason quotes it as it was written. */
  private static Violation doesNotFit(JsonParser parser, Field field, String type)
      throws IOException {
    return new Violation(
        field,
        "type",
        "field '"
            + field.name()
            + "' = "
            + numberText(parser)
            + " does not fit its type ("
            + type
            + ")");
  }

  /** The number as the payload wrote it, cut to 60 characters. */
  private static String numberText(JsonParser parser) throws IOException {
    String text = parser.getText();
    return text.length() > MAX_VALUE_IN_REASON
        ? text.substring(0, MAX_VALUE_IN_REASON) + "… (" + text.length() + " characters)"
        : text;
  }

  private static String quote(String text) {
    String shown =
        text.length() > MAX_VALUE_IN_REASON ? text.substring(0, MAX_VALUE_IN_REASON) + "…" : text;
    return '"' + shown + '"';
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Carries a rule violation found while reading a value, without building a stack trace. */
  private static final class Violation extends IOException {
    private final transient Rejected rejection;

    Violation(Field field, String rule, String reason) {
      this(new Rejected(Stage.VALIDATE, rule, field.name(), reason));
    }

    Violation(Rejected rejection) {
      super(rejection.reason(), null);
      this.rejection = rejection;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}

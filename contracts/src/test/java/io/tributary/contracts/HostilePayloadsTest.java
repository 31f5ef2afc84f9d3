package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import io.tributary.contracts.ParseOutcome.Valid;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Payloads meant to hurt: each gets a defined outcome (a rejection with its rule, or a documented
 * accept), in bounded time, and never an exception. The README's contract rules list the same
 * outcomes.
 */
class HostilePayloadsTest {
  private static final String WEATHER =
      "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"station_id\":\"ST-001\","
          + "\"city\":%s,\"event_time\":%s,\"temperature_c\":%s,\"humidity_pct\":55.0,"
          + "\"pressure_hpa\":1013.2,\"wind_speed_ms\":3.5,\"precipitation_mm\":%s}";
  private static final String TRANSACTION =
      "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"transaction_id\":\"tx-1\","
          + "\"account_id\":\"AC-1\",\"event_time\":\"2026-11-21T04:42:00Z\",\"amount\":%s,"
          + "\"currency\":\"EUR\",\"merchant_category\":\"grocery\",\"channel\":\"pos\","
          + "\"card_present\":true}";
  private static final String STUDENT =
      "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"student_id\":%s,"
          + "\"first_name\":\"Ana\",\"last_name\":\"Ruiz\",\"course\":\"Math\",\"grade\":7.5,"
          + "\"event_time\":\"2026-11-21T04:42:00Z\"}";

  private final EventParser weather = Contract.forDataset("weather").parser();
  private final EventParser transactions = Contract.forDataset("transactions").parser();
  private final EventParser students = Contract.forDataset("students").parser();

  private static String weather(String city, String eventTime, String temperature, String rain) {
    return String.format(WEATHER, city, eventTime, temperature, rain);
  }

  private static String weather() {
    return weather("\"Madrid\"", "\"2026-11-21T04:42:00Z\"", "12.5", "0");
  }

  /** Parses in at most two seconds: an expansion of a huge exponent takes minutes and gigabytes. */
  private static ParseOutcome parse(EventParser parser, byte[] payload) {
    return assertTimeoutPreemptively(Duration.ofSeconds(2), () -> parser.parse(payload));
  }

  private static ParseOutcome parse(EventParser parser, String payload) {
    return parse(parser, payload.getBytes(StandardCharsets.UTF_8));
  }

  private static Rejected rejected(ParseOutcome outcome) {
    assertThat(outcome).isInstanceOf(Rejected.class);
    return (Rejected) outcome;
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32", "UTF-32BE", "UTF-32LE"})
  void utf16AndUtf32AreMalformedThoughJacksonCouldReadThem(String charset) {
    byte[] payload = weather().getBytes(Charset.forName(charset));

    Rejected rejected = rejected(parse(weather, payload));

    assertThat(rejected.stage()).isEqualTo(Stage.PARSE);
    assertThat(rejected.rule()).isEqualTo("utf8");
    assertThat(rejected.reason()).startsWith("payload is not valid UTF-8: ");
  }

  @Test
  void aUtf8ByteOrderMarkIsIgnored() {
    byte[] payload = ("\uFEFF" + weather()).getBytes(StandardCharsets.UTF_8);

    assertThat(parse(weather, payload)).isInstanceOf(Valid.class);
  }

  @Test
  void overlongFormsAndEncodedSurrogatesAreNotUtf8() {
    byte[] json = weather().getBytes(StandardCharsets.UTF_8);
    int city = weather().indexOf("Madrid");
    byte[] overlong = json.clone();
    overlong[city] = (byte) 0xC0;
    overlong[city + 1] = (byte) 0x80;
    byte[] surrogate = json.clone();
    surrogate[city] = (byte) 0xED;
    surrogate[city + 1] = (byte) 0xA0;
    surrogate[city + 2] = (byte) 0x80;

    assertThat(rejected(parse(weather, overlong)).reason())
        .isEqualTo("payload is not valid UTF-8: an overlong UTF-8 sequence at byte " + city);
    assertThat(rejected(parse(weather, surrogate)).reason())
        .isEqualTo(
            "payload is not valid UTF-8: an encoded UTF-16 surrogate (U+D800) at byte " + city);
  }

  @Test
  void aLoneSurrogateEscapeInAFieldIsMalformedButIgnoredInAnUnknownField() {
    Rejected rejected =
        rejected(
            parse(weather, weather("\"Mad\\ud800rid\"", "\"2026-11-21T04:42:00Z\"", "1", "0")));

    assertThat(rejected.stage()).isEqualTo(Stage.PARSE);
    assertThat(rejected.rule()).isEqualTo("utf8");
    assertThat(rejected.field()).isEqualTo("city");
    assertThat(parse(weather, weather().replace("{", "{\"note\":\"\\udc00\",")))
        .isInstanceOf(Valid.class);
    assertThat(
            ((Valid)
                    parse(
                        weather,
                        weather("\"\\ud83d\\ude00\"", "\"2026-11-21T04:42:00Z\"", "1", "0")))
                .get("city"))
        .isEqualTo("\uD83D\uDE00");
  }

  @Test
  void nulBytesAreMalformedButAnEscapedNulIsKept() {
    assertThat(
            rejected(
                    parse(
                        weather, weather("\"Ma\u0000drid\"", "\"2026-11-21T04:42:00Z\"", "1", "0")))
                .rule())
        .isEqualTo("json");
    assertThat(
            ((Valid)
                    parse(
                        weather,
                        weather("\"Ma\\u0000drid\"", "\"2026-11-21T04:42:00Z\"", "1", "0")))
                .get("city"))
        .isEqualTo("Ma\u0000drid");
  }

  @Test
  void emptyAndNullPayloadsHaveTheirOwnReasons() {
    assertThat(parse(weather, new byte[0]))
        .isEqualTo(new Rejected(Stage.PARSE, "json", null, "payload is empty"));
    assertThat(parse(weather, (byte[]) null))
        .isEqualTo(
            new Rejected(
                Stage.PARSE, "tombstone", null, "payload is null (a tombstone record: no event)"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1e999999999 | type | field 'amount' = 1e999999999 does not fit its type (decimal(18,2))",
        "-1E+999999999 | type | field 'amount' = -1E+999999999 does not fit its type (decimal(18,2))",
        "1e-999999999 | decimal-places | field 'amount' = 1e-999999999 has more than 2 decimal places",
        "0e-999999999 | minimum | field 'amount' = 0 must be greater than 0",
        "12345678901234567 | type | field 'amount' = 12345678901234567 does not fit its type (decimal(18,2))",
      })
  void hugeAndTinyDecimalsAreRejectedWithoutExpandingThem(
      String amount, String rule, String reason) {
    assertThat(parse(transactions, String.format(TRANSACTION, amount)))
        .isEqualTo(new Rejected(Stage.VALIDATE, rule, "amount", reason));
  }

  @Test
  void theLargestDecimalThatFitsIsValid() {
    assertThat(
            ((Valid) parse(transactions, String.format(TRANSACTION, "9999999.99e0"))).get("amount"))
        .isEqualTo(new BigDecimal("9999999.99"));
    assertThat(((Valid) parse(transactions, String.format(TRANSACTION, "1.2e3"))).get("amount"))
        .isEqualTo(new BigDecimal("1200.00"));
  }

  @Test
  void hugeIntegersAreRejectedWithTheirTextCut() {
    String digits400 = "9".repeat(400);

    assertThat(parse(students, String.format(STUDENT, "1e999999999")))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "type",
                "student_id",
                "field 'student_id' = 1e999999999 does not fit its type (int)"));
    assertThat(parse(students, String.format(STUDENT, "1e-999999999")))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "type",
                "student_id",
                "field 'student_id' must be an integer, got number 1e-999999999"));
    assertThat(parse(students, String.format(STUDENT, digits400)))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "type",
                "student_id",
                "field 'student_id' = "
                    + "9".repeat(60)
                    + "… (400 characters) does not fit its type (int)"));
    assertThat(((Valid) parse(students, String.format(STUDENT, "7e0"))).get("student_id"))
        .isEqualTo(7);
  }

  @Test
  void aNumberLongerThanAThousandCharactersIsMalformed() {
    Rejected rejected = rejected(parse(students, String.format(STUDENT, "9".repeat(1001))));

    assertThat(rejected.stage()).isEqualTo(Stage.PARSE);
    assertThat(rejected.rule()).isEqualTo("json");
  }

  @Test
  void doublesThatOverflowAreRejectedAndOnesThatUnderflowAreZero() {
    assertThat(
            parse(weather, weather("\"Madrid\"", "\"2026-11-21T04:42:00Z\"", "1e999999999", "0")))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "type",
                "temperature_c",
                "field 'temperature_c' = 1e999999999 does not fit its type (a double)"));
    // precipitation_mm has no maximum: infinity would otherwise pass.
    assertThat(
            rejected(
                    parse(weather, weather("\"Madrid\"", "\"2026-11-21T04:42:00Z\"", "1", "1e400")))
                .rule())
        .isEqualTo("type");
    assertThat(
            ((Valid)
                    parse(
                        weather,
                        weather("\"Madrid\"", "\"2026-11-21T04:42:00Z\"", "1", "1e-999999999")))
                .get("precipitation_mm"))
        .isEqualTo(0.0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+294248-01-01T00:00:00Z",
        "-999999999-01-01T00:00:00Z",
        "+1000000000-12-31T23:59:59Z",
        "+10000-01-01T00:00:00Z",
        "1899-12-31T23:59:59.999Z",
        "0001-01-01T00:00:00Z"
      })
  void eventTimesOutsideWhatEveryReaderHoldsAreRejected(String eventTime) {
    Rejected rejected =
        rejected(parse(weather, weather("\"Madrid\"", "\"" + eventTime + "\"", "1", "0")));

    assertThat(rejected.stage()).isEqualTo(Stage.VALIDATE);
    assertThat(rejected.rule()).isIn("range", "format");
    assertThat(rejected.field()).isEqualTo("event_time");
  }

  @Test
  void theRangeOfEventTimesIsInclusiveOfItsEnds() {
    assertThat(
            rejected(
                parse(weather, weather("\"Madrid\"", "\"+294248-01-01T00:00:00Z\"", "1", "0"))))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "range",
                "event_time",
                "field 'event_time' = \"+294248-01-01T00:00:00Z\" is outside 1900-01-01T00:00:00Z"
                    + " to 9999-12-31T23:59:59.999Z (the instants Beam, Parquet, Delta and Spark all"
                    + " hold)"));
    assertThat(
            ((Valid) parse(weather, weather("\"Madrid\"", "\"1900-01-01T00:00:00Z\"", "1", "0")))
                .get("event_time"))
        .isEqualTo(Instant.parse("1900-01-01T00:00:00Z"));
    assertThat(
            ((Valid)
                    parse(weather, weather("\"Madrid\"", "\"9999-12-31T23:59:59.999Z\"", "1", "0")))
                .get("event_time"))
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
  }

  @Test
  void aHugeEventTimeStringIsNotParsed() {
    String huge = "2026-11-21T04:42:00Z" + "0".repeat(900_000);

    Rejected rejected =
        rejected(parse(weather, weather("\"Madrid\"", "\"" + huge + "\"", "1", "0")));

    assertThat(rejected.rule()).isEqualTo("format");
    assertThat(rejected.reason()).hasSizeLessThan(200);
  }

  @Test
  void deepNestingIsMalformedWhereverItIs() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);

    assertThat(rejected(parse(weather, weather().replace("{", "{\"extra\":" + deep + ","))).rule())
        .isEqualTo("json");
    assertThat(
            rejected(parse(weather, weather(deep, "\"2026-11-21T04:42:00Z\"", "1", "0"))).stage())
        .isEqualTo(Stage.PARSE);
    // Within Jackson's limit of 1,000 levels, an unknown field is skipped, a known one has the
    // wrong
    // type.
    String nested = "[".repeat(900) + "]".repeat(900);
    assertThat(parse(weather, weather().replace("{", "{\"extra\":" + nested + ",")))
        .isInstanceOf(Valid.class);
    assertThat(
            rejected(parse(weather, weather(nested, "\"2026-11-21T04:42:00Z\"", "1", "0"))).rule())
        .isEqualTo("type");
  }

  @Test
  void tenThousandUnknownFieldsAreIgnored() {
    StringBuilder extra = new StringBuilder("{");
    for (int i = 0; i < 10_000; i++) {
      extra.append("\"unknown_").append(i).append("\":").append(i).append(',');
    }

    assertThat(parse(weather, weather().replace("{", extra))).isInstanceOf(Valid.class);
  }

  @Test
  void aStringOf900KilobytesIsAValidValue() {
    String city = "x".repeat(900_000);

    assertThat(
            ((Valid)
                    parse(
                        weather, weather("\"" + city + "\"", "\"2026-11-21T04:42:00Z\"", "1", "0")))
                .get("city"))
        .isEqualTo(city);
  }

  @Test
  void aFieldNameInAnotherCaseIsAnUnknownField() {
    assertThat(parse(weather, weather().replace("\"city\"", "\"City\"")))
        .isEqualTo(
            new Rejected(Stage.VALIDATE, "required", "city", "required field 'city' is missing"));
  }
}

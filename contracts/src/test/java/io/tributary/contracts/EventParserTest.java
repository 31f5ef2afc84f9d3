package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import io.tributary.contracts.ParseOutcome.Valid;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

  private static final String WEATHER =
      "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"station_id\":\"ST-001\","
          + "\"city\":\"Madrid\",\"country\":\"ES\",\"lat\":40.4,\"lon\":-3.7,"
          + "\"event_time\":\"2026-11-21T04:42:00.123Z\",\"temperature_c\":%s,\"humidity_pct\":55.0,"
          + "\"pressure_hpa\":1013.2,\"wind_speed_ms\":3.5,\"precipitation_mm\":0.0,\"conditions\":\"Clear\"}";

  private final EventParser weather = Contract.forDataset("weather").parser();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private ParseOutcome weatherWith(String temperature) {
    return weather.parse(utf8(String.format(WEATHER, temperature)));
  }

  @Test
  void parsesAValidWeatherReadingIntoTypedValues() {
    ParseOutcome outcome = weatherWith("12.5");

    assertThat(outcome).isInstanceOf(Valid.class);
    Valid valid = (Valid) outcome;
    assertThat(valid.get("station_id")).isEqualTo("ST-001");
    assertThat(valid.get("temperature_c")).isEqualTo(12.5);
    assertThat(valid.get("event_time")).isEqualTo(Instant.parse("2026-11-21T04:42:00.123Z"));
    assertThat(valid.get("lat")).isEqualTo(40.4);
  }

  @ParameterizedTest
  @CsvSource({"-90", "60", "0", "-89.99"})
  void boundsAreInclusive(String temperature) {
    assertThat(weatherWith(temperature)).isInstanceOf(Valid.class);
  }

  @ParameterizedTest
  @CsvSource({
    "60.01, maximum, 'field ''temperature_c'' = 60.01 is above the maximum 60'",
    "-90.5, minimum, 'field ''temperature_c'' = -90.5 is below the minimum -90'",
    "'\"warm\"', type, 'field ''temperature_c'' must be a number, got string \"warm\"'",
    "'\"12.5\"', type, 'field ''temperature_c'' must be a number, got string \"12.5\"'",
    "null, required, 'required field ''temperature_c'' is null'"
  })
  void rejectsABrokenTemperatureNamingRuleFieldAndValue(
      String temperature, String rule, String reason) {
    ParseOutcome outcome = weatherWith(temperature);

    assertThat(outcome).isEqualTo(new Rejected(Stage.VALIDATE, rule, "temperature_c", reason));
  }

  @Test
  void rejectsAMissingRequiredField() {
    String withoutCity = String.format(WEATHER, "1").replace("\"city\":\"Madrid\",", "");

    assertThat(weather.parse(utf8(withoutCity)))
        .isEqualTo(
            new Rejected(Stage.VALIDATE, "required", "city", "required field 'city' is missing"));
  }

  @Test
  void optionalFieldsMayBeAbsentOrNullButNotOutOfRange() {
    String json = String.format(WEATHER, "1");
    assertThat(weather.parse(utf8(json.replace("\"country\":\"ES\",", ""))))
        .isInstanceOf(Valid.class);
    assertThat(weather.parse(utf8(json.replace("\"lat\":40.4", "\"lat\":null"))))
        .isInstanceOf(Valid.class);
    assertThat(weather.parse(utf8(json.replace("\"lat\":40.4", "\"lat\":91"))))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE, "maximum", "lat", "field 'lat' = 91 is above the maximum 90"));
    assertThat(weather.parse(utf8(json.replace("\"country\":\"ES\"", "\"country\":\"Spain\""))))
        .extracting(o -> ((Rejected) o).rule())
        .isEqualTo("pattern");
  }

  @Test
  void ignoresUnknownFields() {
    String json = String.format(WEATHER, "1").replace("{", "{\"extra\":{\"nested\":[1,2]},");

    assertThat(weather.parse(utf8(json))).isInstanceOf(Valid.class);
  }

  @Test
  void rejectsAnUnparseableEventTime() {
    String json =
        String.format(WEATHER, "1").replace("2026-11-21T04:42:00.123Z", "yesterday at noon");

    assertThat(weather.parse(utf8(json)))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "format",
                "event_time",
                "field 'event_time' = \"yesterday at noon\" is not an ISO-8601 instant such as"
                    + " 2026-11-21T04:42:00.123Z"));
  }

  @Test
  void malformedPayloadsAreRejectedAtTheParseStage() {
    String json = String.format(WEATHER, "1");
    byte[] notUtf8 = utf8(json);
    int cityAt = json.indexOf("Madrid");
    notUtf8[cityAt] = (byte) 0xC3;
    notUtf8[cityAt + 1] = (byte) 0x28;

    assertThat(weather.parse(notUtf8)).extracting(o -> ((Rejected) o).rule()).isEqualTo("utf8");
    assertThat(weather.parse(utf8(json.substring(0, json.length() / 2))))
        .isInstanceOf(Rejected.class)
        .extracting(o -> ((Rejected) o).stage())
        .isEqualTo(Stage.PARSE);
    assertThat(weather.parse(utf8("temperature=12")))
        .extracting(o -> ((Rejected) o).stage())
        .isEqualTo(Stage.PARSE);
    assertThat(weather.parse(utf8("[1,2,3]")))
        .isEqualTo(new Rejected(Stage.PARSE, "json", null, "payload is not a JSON object"));
    assertThat(weather.parse(utf8(json + "{}")))
        .extracting(o -> ((Rejected) o).stage())
        .isEqualTo(Stage.PARSE);
    assertThat(weather.parse(null)).extracting(o -> ((Rejected) o).stage()).isEqualTo(Stage.PARSE);
  }

  @Test
  void aTruncatedPayloadIsMalformedEvenIfItAlsoBreaksARule() {
    String json = String.format(WEATHER, "99");

    ParseOutcome outcome = weather.parse(utf8(json.substring(0, json.length() - 1)));

    assertThat(outcome).extracting(o -> ((Rejected) o).stage()).isEqualTo(Stage.PARSE);
  }

  @Test
  void aFieldGivenTwiceIsMalformed() {
    String json = String.format(WEATHER, "1").replace("{", "{\"city\":\"Paris\",");

    assertThat(weather.parse(utf8(json)))
        .isEqualTo(
            new Rejected(Stage.PARSE, "duplicate-field", "city", "field 'city' appears twice"));
  }

  @Test
  void transactionAmountsAreDecimalsWithAtMostTwoPlaces() {
    EventParser transactions = Contract.forDataset("transactions").parser();
    String json =
        "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"transaction_id\":\"tx-1\","
            + "\"account_id\":\"AC-1\",\"event_time\":\"2026-11-21T04:42:00Z\",\"amount\":%s,"
            + "\"currency\":\"EUR\",\"merchant\":\"Shop\",\"merchant_category\":\"grocery\","
            + "\"channel\":\"pos\",\"country\":\"ES\",\"card_present\":true}";

    assertThat(((Valid) transactions.parse(utf8(String.format(json, "12.5")))).get("amount"))
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(transactions.parse(utf8(String.format(json, "12.345"))))
        .extracting(o -> ((Rejected) o).rule())
        .isEqualTo("decimal-places");
    assertThat(transactions.parse(utf8(String.format(json, "0"))))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE, "minimum", "amount", "field 'amount' = 0 must be greater than 0"));
    assertThat(transactions.parse(utf8(String.format(json, "5").replace("\"pos\"", "\"phone\""))))
        .extracting(o -> ((Rejected) o).rule())
        .isEqualTo("enum");
  }

  @Test
  void integerFieldsRejectFractionsAndStrings() {
    EventParser students = Contract.forDataset("students").parser();
    String json =
        "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"student_id\":%s,"
            + "\"first_name\":\"Ana\",\"last_name\":\"Ruiz\",\"course\":\"Math\",\"grade\":7.5,"
            + "\"event_time\":\"2026-11-21T04:42:00Z\"}";

    assertThat(((Valid) students.parse(utf8(String.format(json, "7")))).get("student_id"))
        .isEqualTo(7);
    assertThat(students.parse(utf8(String.format(json, "7.5"))))
        .extracting(o -> ((Rejected) o).rule())
        .isEqualTo("type");
    assertThat(students.parse(utf8(String.format(json, "\"7\""))))
        .extracting(o -> ((Rejected) o).rule())
        .isEqualTo("type");
    assertThat(students.parse(utf8(String.format(json, "0"))))
        .extracting(o -> ((Rejected) o).rule())
        .isEqualTo("minimum");
  }
}

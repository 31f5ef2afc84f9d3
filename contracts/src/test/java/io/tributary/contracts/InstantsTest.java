package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {

  @Test
  void readsRandomInstantsAsInstantParseDoes() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-62_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
      // Instant.toString drops trailing zero groups of the fraction; vary the digits written too.
      String text = instant.toString();
      assertThat(Instants.parse(text)).as(text).isEqualTo(Instant.parse(text));
      String millis = text.replaceFirst("\\.\\d+Z$", "") + "." + (instant.getNano() / 1_000_000);
      String trimmed = millis.endsWith(".") ? millis + "0Z" : millis + "Z";
      assertThat(Instants.parse(trimmed)).as(trimmed).isEqualTo(Instant.parse(trimmed));
    }
  }

  /** Whatever the text, the same instant or the same kind of failure. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T00:00:00Z",
        "2026-12-31T23:59:59.999999999Z",
        "2024-02-29T12:00:00.5Z",
        "1970-01-01T00:00:00Z",
        "2026-11-21T04:42:00+01:00",
        "2026-11-21T04:42:00.123+05:30",
        "+12026-11-21T04:42:00Z",
        "2026-06-30T23:59:60Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:00.Z",
        "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:00.1234567890Z",
        "2026-01-01 00:00:00Z",
        "2026-01-01T00:00:00",
        "2026-1-01T00:00:00Z",
        "2026-01-01T00:00:0xZ",
        "yesterday",
        ""
      })
  void agreesWithInstantParse(String text) {
    Instant expected;
    try {
      expected = Instant.parse(text);
    } catch (DateTimeParseException e) {
      assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeParseException.class);
      return;
    }
    assertThat(Instants.parse(text)).isEqualTo(expected);
  }

  @Test
  void checksTheDayOfMonthOfTheCommonForm() {
    // Instant.parse rejects February 29 of 2026; a fast path that skipped the day check would not.
    assertThatThrownBy(() -> Instants.parse("2026-02-29T00:00:00Z"))
        .isInstanceOf(DateTimeParseException.class);
    assertThat(Instants.parse("2024-02-29T23:59:59.25Z"))
        .isEqualTo(Instant.ofEpochSecond(1_709_251_199L, 250_000_000));
  }
}

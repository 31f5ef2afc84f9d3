package io.tributary.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unbounded read's element timestamps come from the same parse as silver, whatever the JSON's
 * layout: what silver would quarantine has no event time of its own.
 */
class EventTimePolicyTest {
  private static final long KAFKA_TIME =
      java.time.Instant.parse("2026-12-06T07:00:00Z").toEpochMilli();
  private static final String FIELDS =
      "\"event_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"station_id\": \"ST-1\","
          + " \"city\": \"Madrid\", \"temperature_c\": 12.5, \"humidity_pct\": 50,"
          + " \"pressure_hpa\": 1013, \"wind_speed_ms\": 2, \"precipitation_mm\": 0";

  private final EventTimePolicy policy = new EventTimePolicy("weather", Optional.empty());

  private Instant eventTime(String json) {
    return policy.eventTime(json.getBytes(StandardCharsets.UTF_8), KAFKA_TIME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Python's json.dumps: a space after each colon and comma.
        "{%s, \"event_time\": \"2026-12-06T06:59:00Z\"}",
        // Pretty-printed, the field first.
        "{\n  \"event_time\" : \"2026-12-06T06:59:00Z\",\n  %s\n}",
        // An escaped character in the value.
        "{%s, \"event_time\": \"2026-12-06T06\\u003a59:00Z\"}",
        // A nested event_time that is not the event's comes first.
        "{\"meta\": {\"event_time\": \"2001-01-01T00:00:00Z\"}, %s,"
            + " \"event_time\": \"2026-12-06T06:59:00Z\"}"
      })
  void anyJsonLayoutGivesTheEventTimeSilverHolds(String layout) {
    assertThat(eventTime(String.format(layout, FIELDS)))
        .isEqualTo(Instant.parse("2026-12-06T06:59:00Z"));
  }

  @Test
  void aRecordSilverWouldQuarantineHasNoEventTime() {
    // Its event_time is readable bytes, but the event breaks a rule (or the clock is wrong).
    assertThat(
            eventTime(
                "{" + FIELDS.replace("12.5", "99") + ", \"event_time\": \"2026-12-06T06:59:00Z\"}"))
        .isNull();
    assertThat(eventTime("{" + FIELDS + ", \"event_time\": \"2027-12-06T06:59:00Z\"}")).isNull();
    assertThat(policy.eventTime(null, KAFKA_TIME)).isNull();
  }
}

package io.tributary.pipelines.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.ParseOutcome;
import io.tributary.contracts.ParseOutcome.Rejected;
import io.tributary.contracts.ParseOutcome.Stage;
import io.tributary.contracts.ParseOutcome.Valid;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** event_time is held to the record's Kafka timestamp: a wrong clock is quarantined. */
class RecordParserTest {
  private static final Instant KAFKA_TIME = Instant.parse("2026-12-06T07:00:00Z");

  private final RecordParser parser = new RecordParser("weather");

  private static byte[] at(Instant eventTime) {
    return ("{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"station_id\":\"ST-1\","
            + "\"city\":\"Madrid\",\"event_time\":\""
            + eventTime
            + "\",\"temperature_c\":12.5,\"humidity_pct\":50,\"pressure_hpa\":1013,"
            + "\"wind_speed_ms\":2,\"precipitation_mm\":0}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private ParseOutcome parse(Instant eventTime) {
    return parser.parse(at(eventTime), KAFKA_TIME.toEpochMilli());
  }

  @Test
  void eventTimesWithinTheBoundsOfTheKafkaTimestampAreValid() {
    Instant ahead = KAFKA_TIME.plus(RecordParser.MAX_AHEAD);
    Instant behind = KAFKA_TIME.minus(RecordParser.MAX_BEHIND);

    assertThat(parser.eventTimeMillis((Valid) parse(ahead))).isEqualTo(ahead.toEpochMilli());
    assertThat(parser.eventTimeMillis((Valid) parse(behind))).isEqualTo(behind.toEpochMilli());
  }

  @Test
  void anEventTimeFarAheadOfItsKafkaTimestampIsAWrongClock() {
    assertThat(parse(KAFKA_TIME.plus(RecordParser.MAX_AHEAD).plusMillis(1)))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "clock-skew",
                "event_time",
                "field 'event_time' = 2026-12-06T08:00:00.001Z is 60 min after the record's Kafka"
                    + " timestamp 2026-12-06T07:00:00Z (more than 1 h ahead is taken for a wrong"
                    + " clock)"));
    assertThat(((Rejected) parse(Instant.parse("9999-12-31T00:00:00Z"))).reason())
        .contains("is 2912102 days after");
  }

  @Test
  void anEventTimeFarBehindItsKafkaTimestampIsAWrongClock() {
    assertThat(parse(Instant.parse("1970-01-01T00:00:00Z")))
        .isEqualTo(
            new Rejected(
                Stage.VALIDATE,
                "clock-skew",
                "event_time",
                "field 'event_time' = 1970-01-01T00:00:00Z is 20793 days before the record's Kafka"
                    + " timestamp 2026-12-06T07:00:00Z (more than 3650 days behind is taken for a"
                    + " wrong clock)"));
  }

  @Test
  void aRecordWithoutKafkaTimestampIsOnlyHeldToTheContract() {
    assertThat(parser.parse(at(Instant.parse("1970-01-01T00:00:00Z")), -1))
        .isInstanceOf(Valid.class);
  }

  @Test
  void aContractRuleIsReportedBeforeTheClock() {
    byte[] payload =
        new String(at(KAFKA_TIME.plus(Duration.ofDays(400))), StandardCharsets.UTF_8)
            .replace("12.5", "99")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(((Rejected) parser.parse(payload, KAFKA_TIME.toEpochMilli())).rule())
        .isEqualTo("maximum");
  }

  @Test
  void theReadmeStatesTheseBounds() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));

    assertThat(readme)
        .contains(
            "`clock-skew`: an `event_time` more than "
                + RecordParser.MAX_AHEAD.toHours()
                + " hour after the record's Kafka timestamp")
        .contains(
            String.format(
                java.util.Locale.ROOT, "%,d days before it", RecordParser.MAX_BEHIND.toDays()));
  }
}

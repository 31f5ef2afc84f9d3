package io.tributary.generators.openweathermap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.contracts.Contract;
import io.tributary.contracts.ParseOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenWeatherMapMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode sample(String name) throws IOException {
    try (InputStream in =
        OpenWeatherMapMappingTest.class.getResourceAsStream("/openweathermap/" + name)) {
      assertThat(in).as("test resource openweathermap/%s", name).isNotNull();
      return JSON.readTree(in);
    }
  }

  private static String uuidOf(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  void mapsARainyReadingInContractFieldOrder() throws IOException {
    Map<String, Object> event = OpenWeatherMapMapping.toEvent(sample("madrid-rain.json"));

    assertThat(event)
        .containsExactly(
            entry("event_id", uuidOf("owm:3117735:1763700000")),
            entry("station_id", "owm-3117735"),
            entry("city", "Madrid"),
            entry("country", "ES"),
            entry("lat", 40.4165),
            entry("lon", -3.7026),
            entry("event_time", Instant.parse("2025-11-21T04:40:00Z")),
            entry("temperature_c", 9.62),
            entry("humidity_pct", 87.0),
            entry("pressure_hpa", 1009.0),
            entry("wind_speed_ms", 5.14),
            entry("precipitation_mm", 2.29),
            entry("conditions", "Rain"));
  }

  @Test
  void mapsASnowyReadingWithoutWind() throws IOException {
    Map<String, Object> event = OpenWeatherMapMapping.toEvent(sample("oslo-snow.json"));

    assertThat(event)
        .containsExactly(
            entry("event_id", uuidOf("owm:3143244:1763701200")),
            entry("station_id", "owm-3143244"),
            entry("city", "Oslo"),
            entry("country", "NO"),
            entry("lat", 59.9127),
            entry("lon", 10.7461),
            entry("event_time", Instant.parse("2025-11-21T05:00:00Z")),
            entry("temperature_c", -3.4),
            entry("humidity_pct", 93.0),
            entry("pressure_hpa", 1021.0),
            entry("wind_speed_ms", 0.0),
            entry("precipitation_mm", 0.42),
            entry("conditions", "Snow"));
  }

  @Test
  void writesCompactJsonWithAnIsoEventTime() throws IOException {
    byte[] json =
        OpenWeatherMapSource.toJson(OpenWeatherMapMapping.toEvent(sample("madrid-rain.json")));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"event_id\":\""
                + uuidOf("owm:3117735:1763700000")
                + "\",\"station_id\":\"owm-3117735\",\"city\":\"Madrid\",\"country\":\"ES\","
                + "\"lat\":40.4165,\"lon\":-3.7026,\"event_time\":\"2025-11-21T04:40:00Z\","
                + "\"temperature_c\":9.62,\"humidity_pct\":87.0,\"pressure_hpa\":1009.0,"
                + "\"wind_speed_ms\":5.14,\"precipitation_mm\":2.29,\"conditions\":\"Rain\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"madrid-rain.json", "oslo-snow.json"})
  void mappedReadingsSatisfyTheWeatherContract(String sample) throws IOException {
    Map<String, Object> event = OpenWeatherMapMapping.toEvent(sample(sample));

    ParseOutcome outcome =
        Contract.forDataset("weather").parser().parse(OpenWeatherMapSource.toJson(event));

    assertThat(outcome).isInstanceOf(ParseOutcome.Valid.class);
    ParseOutcome.Valid valid = (ParseOutcome.Valid) outcome;
    assertThat(valid.get("station_id")).isEqualTo(event.get("station_id"));
    assertThat(valid.get("event_time")).isEqualTo(event.get("event_time"));
    assertThat(valid.get("precipitation_mm")).isEqualTo(event.get("precipitation_mm"));
  }

  @Test
  void theSameObservationPolledTwiceKeepsItsEventId() throws IOException {
    String first =
        (String) OpenWeatherMapMapping.toEvent(sample("madrid-rain.json")).get("event_id");
    String again =
        (String) OpenWeatherMapMapping.toEvent(sample("madrid-rain.json")).get("event_id");

    ObjectNode later = (ObjectNode) sample("madrid-rain.json");
    later.put("dt", 1763700600);
    String next = (String) OpenWeatherMapMapping.toEvent(later).get("event_id");

    assertThat(again).isEqualTo(first);
    assertThat(next).as("a newer observation of the same station").isNotEqualTo(first);
  }

  @Test
  void optionalInputsMayBeAbsent() throws IOException {
    ObjectNode bare = (ObjectNode) sample("madrid-rain.json");
    bare.remove(java.util.List.of("coord", "weather", "sys", "wind", "rain"));

    Map<String, Object> event = OpenWeatherMapMapping.toEvent(bare);

    assertThat(event)
        .containsEntry("country", null)
        .containsEntry("lat", null)
        .containsEntry("lon", null)
        .containsEntry("wind_speed_ms", 0.0)
        .containsEntry("precipitation_mm", 0.0)
        .containsEntry("conditions", null);
    assertThat(Contract.forDataset("weather").parser().parse(OpenWeatherMapSource.toJson(event)))
        .isInstanceOf(ParseOutcome.Valid.class);
  }

  @Test
  void aResponseWithoutTemperatureIsRefusedNamingTheField() throws IOException {
    ObjectNode response = (ObjectNode) sample("madrid-rain.json");
    ((ObjectNode) response.get("main")).remove("temp");

    assertThatThrownBy(() -> OpenWeatherMapMapping.toEvent(response))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OpenWeatherMap response has no main.temp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "name", "dt", "main.temp", "main.humidity", "main.pressure"})
  void everyRequiredInputIsNamedWhenMissing(String path) throws IOException {
    ObjectNode response = (ObjectNode) sample("oslo-snow.json");
    String[] steps = path.split("\\.");
    ObjectNode parent = steps.length == 1 ? response : (ObjectNode) response.get(steps[0]);
    parent.remove(steps[steps.length - 1]);

    assertThatThrownBy(() -> OpenWeatherMapMapping.toEvent(response))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OpenWeatherMap response has no " + path);
  }

  @Test
  void aRequiredInputOfTheWrongTypeIsNamedWithItsValue() throws IOException {
    ObjectNode response = (ObjectNode) sample("oslo-snow.json");
    ((ObjectNode) response.get("main")).put("humidity", "high");

    assertThatThrownBy(() -> OpenWeatherMapMapping.toEvent(response))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OpenWeatherMap response has no main.humidity of the expected type (got \"high\")");
  }
}

package io.tributary.generators.openweathermap;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one OpenWeatherMap current-weather response (https://openweathermap.org/current, requested
 * with {@code units=metric}) into a weather event, with its fields in the weather contract's order.
 * A pure function: the same response always gives the same event.
 */
public final class OpenWeatherMapMapping {

  private OpenWeatherMapMapping() {}

  /**
   * Maps a response.
   *
   * @return the event, in weather contract field order; {@code event_time} is an {@link Instant}
   * @throws IllegalArgumentException naming the JSON path of the first missing required input
   */
  public static Map<String, Object> toEvent(JsonNode response) {
    long id = required(response, "id").asLong();
    String name = required(response, "name").asText();
    long dt = required(response, "dt").asLong();
    double temperature = required(response, "main", "temp").asDouble();
    double humidity = required(response, "main", "humidity").asDouble();
    double pressure = required(response, "main", "pressure").asDouble();

    Map<String, Object> event = new LinkedHashMap<>();
    // The observation's identity is the station and its measurement time, so polling again before
    // OpenWeatherMap has a new observation yields the same event_id and the pipeline drops the
    // repeat.
    event.put("event_id", eventId(id, dt));
    event.put("station_id", "owm-" + id);
    event.put("city", name);
    event.put("country", optionalText(response.path("sys").path("country")));
    event.put("lat", optionalNumber(response.path("coord").path("lat")));
    event.put("lon", optionalNumber(response.path("coord").path("lon")));
    event.put("event_time", Instant.ofEpochSecond(dt));
    event.put("temperature_c", temperature);
    event.put("humidity_pct", humidity);
    event.put("pressure_hpa", pressure);
    // OpenWeatherMap leaves out wind, rain and snow when there is none to report.
    event.put("wind_speed_ms", response.path("wind").path("speed").asDouble(0));
    event.put(
        "precipitation_mm",
        response.path("rain").path("1h").asDouble(0)
            + response.path("snow").path("1h").asDouble(0));
    event.put("conditions", optionalText(response.path("weather").path(0).path("main")));
    return event;
  }

  /**
   * The event_id of the observation of a station at a time: a name-based UUID, stable across polls.
   */
  static String eventId(long stationId, long epochSecond) {
    return UUID.nameUUIDFromBytes(
            ("owm:" + stationId + ":" + epochSecond).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static JsonNode required(JsonNode response, String... path) {
    JsonNode node = response;
    for (String step : path) {
      node = node.path(step);
    }
    boolean usable =
        path.length == 1 && "name".equals(path[0]) ? node.isTextual() : node.isNumber();
    if (!usable) {
      throw new IllegalArgumentException(
          "OpenWeatherMap response has no "
              + String.join(".", path)
              + (node.isMissingNode() || node.isNull()
                  ? ""
                  : " of the expected type (got " + node + ")"));
    }
    return node;
  }

  private static String optionalText(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  private static Double optionalNumber(JsonNode node) {
    return node.isNumber() ? node.asDouble() : null;
  }
}

package io.tributary.generators.openweathermap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.contracts.Contract;
import io.tributary.contracts.EventParser;
import io.tributary.contracts.ParseOutcome;
import io.tributary.generators.Flags;
import io.tributary.generators.GeneratedRecord;
import io.tributary.generators.KafkaTarget.TargetException;
import io.tributary.generators.RecordKind;
import io.tributary.generators.RecordSource;
import io.tributary.generators.UsageException;
import io.tributary.generators.openweathermap.OpenWeatherMapClient.PollFailure;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live weather events: polls OpenWeatherMap's current weather for a list of cities every {@code
 * --pollSeconds} and hands the readings out one at a time, blocking between polls. Every reading is
 * checked against the weather contract before it is handed out, so an odd API answer never reaches
 * Kafka.
 */
public final class OpenWeatherMapSource implements RecordSource {
  static final String API_KEY_VARIABLE = "OPENWEATHER_API_KEY";
  static final String MISSING_KEY_MESSAGE =
      "OPENWEATHER_API_KEY is not set: create a key at https://openweathermap.org/api and export"
          + " OPENWEATHER_API_KEY=...";
  static final String DEFAULT_CITIES = "Madrid,London,New York";
  static final long DEFAULT_POLL_SECONDS = 60;
  static final String DEFAULT_API_URL = "https://api.openweathermap.org/data/2.5/weather";

  private static final Logger LOG = LoggerFactory.getLogger(OpenWeatherMapSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenWeatherMapClient client;
  private final List<String> cities;
  private final Duration pollInterval;
  private final EventParser parser = Contract.forDataset("weather").parser();
  private final Deque<GeneratedRecord> ready = new ArrayDeque<>();

  /**
   * The last event_id handed out per station, to tell a new observation from a re-poll of the same
   * one.
   */
  private final Map<String, String> lastEventIdByStation = new HashMap<>();

  private boolean polledOnce;
  private long nextPollNanos;
  private int citiesAnswered;

  OpenWeatherMapSource(OpenWeatherMapClient client, List<String> cities, Duration pollInterval) {
    this.client = client;
    this.cities = List.copyOf(cities);
    this.pollInterval = pollInterval;
    this.nextPollNanos = System.nanoTime();
  }

  /**
   * The source configured by {@code --cities}, {@code --pollSeconds} and {@code --apiUrl}, with the
   * API key from {@code $OPENWEATHER_API_KEY}.
   *
   * @throws UsageException when the key is not set or a flag is bad
   */
  public static OpenWeatherMapSource fromFlags(Flags flags, Map<String, String> env) {
    String apiKey = env.get(API_KEY_VARIABLE);
    if (apiKey == null || apiKey.isBlank()) {
      throw new UsageException(MISSING_KEY_MESSAGE);
    }
    List<String> cities = cities(flags.string("cities").orElse(DEFAULT_CITIES));
    long pollSeconds = flags.positiveLong("pollSeconds").orElse(DEFAULT_POLL_SECONDS);
    String apiUrl = apiUrl(flags.string("apiUrl").orElse(DEFAULT_API_URL));
    LOG.info("polling OpenWeatherMap at {} for {} every {} s", apiUrl, cities, pollSeconds);
    return new OpenWeatherMapSource(
        new OpenWeatherMapClient(apiUrl, apiKey.strip()), cities, Duration.ofSeconds(pollSeconds));
  }

  static List<String> cities(String text) {
    List<String> cities = new ArrayList<>();
    for (String city : text.split(",", -1)) {
      if (city.isBlank()) {
        throw new UsageException(
            "bad value for --cities: '"
                + text
                + "' has an empty city name; list cities separated by commas,"
                + " e.g. --cities=Madrid,London");
      }
      cities.add(city.strip());
    }
    return cities;
  }

  private static String apiUrl(String text) {
    try {
      URI uri = URI.create(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return text;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message below
    }
    throw new UsageException(
        "bad value for --apiUrl: '" + text + "' is not an http(s) URL such as " + DEFAULT_API_URL);
  }

  /**
   * The next reading; polls when none is left, first waiting until the poll is due.
   *
   * @throws TargetException when OpenWeatherMap rejects the key or a city, or cannot be reached on
   *     the first poll
   */
  @Override
  public GeneratedRecord next() throws InterruptedException {
    while (ready.isEmpty()) {
      long wait = nextPollNanos - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      poll();
    }
    return ready.poll();
  }

  @Override
  public String position() {
    if (!polledOnce) {
      return "not polled yet";
    }
    long seconds = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nextPollNanos - System.nanoTime()));
    return "polled "
        + citiesAnswered
        + (citiesAnswered == 1 ? " city" : " cities")
        + ", next poll in "
        + seconds
        + " s";
  }

  private void poll() throws InterruptedException {
    // The interval runs from the start of a poll, so slow answers do not stretch the cadence.
    nextPollNanos = System.nanoTime() + pollInterval.toNanos();
    int answered = 0;
    for (String city : cities) {
      JsonNode response;
      try {
        response = client.currentWeather(city);
      } catch (PollFailure e) {
        // A first poll that fails is a setup problem worth stopping for; later, a hiccup only costs
        // one reading.
        if (!polledOnce || !e.isTransient()) {
          throw new TargetException(e.getMessage(), null);
        }
        LOG.warn("{}; trying again at the next poll", e.getMessage());
        continue;
      }
      answered++;
      add(city, response);
    }
    polledOnce = true;
    citiesAnswered = answered;
    LOG.debug("polled {} of {} cities from {}", answered, cities.size(), client.apiUrl());
  }

  private void add(String city, JsonNode response) {
    Map<String, Object> event;
    byte[] value;
    try {
      event = OpenWeatherMapMapping.toEvent(response);
      value = toJson(event);
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping the OpenWeatherMap reading for city '{}': {}", city, e.getMessage());
      return;
    }
    if (parser.parse(value) instanceof ParseOutcome.Rejected rejected) {
      LOG.warn("skipping the OpenWeatherMap reading for city '{}': {}", city, rejected.reason());
      return;
    }
    String stationId = (String) event.get("station_id");
    String eventId = (String) event.get("event_id");
    // OpenWeatherMap refreshes a city every ten minutes or so; a poll in between returns the same
    // observation,
    // which is counted as a duplicate so the summary's valid count matches what the pipeline keeps.
    RecordKind kind =
        eventId.equals(lastEventIdByStation.put(stationId, eventId))
            ? RecordKind.DUPLICATE
            : RecordKind.VALID;
    ready.add(new GeneratedRecord(stationId.getBytes(StandardCharsets.UTF_8), value, kind, false));
  }

  /** The event as compact JSON in field order, with event_time as an ISO-8601 string. */
  static byte[] toJson(Map<String, Object> event) {
    Map<String, Object> printable = new LinkedHashMap<>(event);
    printable.replaceAll(
        (name, value) -> value instanceof Instant instant ? instant.toString() : value);
    try {
      return JSON.writeValueAsBytes(printable);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write the event as JSON: " + e.getOriginalMessage(), e);
    }
  }
}

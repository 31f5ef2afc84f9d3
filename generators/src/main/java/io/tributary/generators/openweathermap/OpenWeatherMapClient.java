package io.tributary.generators.openweathermap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks OpenWeatherMap for the current weather of one city. The API key travels only in the request
 * URI: every message this class builds names the city and the base URL instead, and any text that
 * comes back is scrubbed of the key, because these messages end up in logs and on the terminal.
 */
final class OpenWeatherMapClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Longest piece of a non-JSON error body quoted in a message (an HTML error page can be long).
   */
  private static final int MAX_BODY_IN_MESSAGE = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String apiUrl;
  private final String apiKey;
  private final HttpClient http;

  OpenWeatherMapClient(String apiUrl, String apiKey) {
    this.apiUrl = apiUrl;
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  String apiUrl() {
    return apiUrl;
  }

  /**
   * The current-weather response for a city, in metric units.
   *
   * @throws PollFailure when OpenWeatherMap cannot be reached or does not answer 200 with JSON
   */
  JsonNode currentWeather(String city) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(requestUri(city))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new PollFailure(
          "cannot reach OpenWeatherMap at " + apiUrl + ": no answer within " + timeoutText(e),
          true);
    } catch (IOException e) {
      throw new PollFailure(
          "cannot reach OpenWeatherMap at " + apiUrl + ": " + scrub(reason(e)), true);
    }
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status == 200) {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new PollFailure(
            "OpenWeatherMap answered HTTP 200 for city '"
                + city
                + "' with a body that is not JSON: "
                + scrub(shorten(body)),
            false);
      }
    }
    String message = scrub(bodyMessage(body));
    String detail = message.isEmpty() ? "" : ": " + message;
    switch (status) {
      case 401 ->
          throw new PollFailure("OpenWeatherMap rejected the API key (HTTP 401)" + detail, false);
      case 404 ->
          throw new PollFailure(
              isErrorBody(body)
                  ? "OpenWeatherMap does not know the city '" + city + "' (HTTP 404)" + detail
                  // Not OpenWeatherMap's own answer: --apiUrl likely names the wrong path or host.
                  : "OpenWeatherMap answered HTTP 404 for city '"
                      + city
                      + "' without an OpenWeatherMap error body: is --apiUrl="
                      + apiUrl
                      + " right?",
              false);
      default ->
          throw new PollFailure(
              "OpenWeatherMap answered HTTP " + status + " for city '" + city + "'" + detail,
              // Rate limiting and server trouble pass; anything else will not fix itself.
              status == 429 || status >= 500);
    }
  }

  URI requestUri(String city) {
    String separator = apiUrl.contains("?") ? "&" : "?";
    return URI.create(
        apiUrl
            + separator
            + "q="
            + URLEncoder.encode(city, StandardCharsets.UTF_8)
            + "&units=metric&appid="
            + URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
  }

  /**
   * Whether a body is OpenWeatherMap's JSON error, e.g. {"cod":"404","message":"city not found"}.
   */
  private static boolean isErrorBody(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.path("message").isTextual();
    } catch (IOException notJson) {
      return false;
    }
  }

  /**
   * The {@code message} field of an OpenWeatherMap error body, or the start of a body that is not
   * JSON.
   */
  private static String bodyMessage(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.path("message").isTextual()) {
        return node.path("message").asText();
      }
    } catch (IOException notJson) {
      // fall through: quote the body itself
    }
    return shorten(body.strip());
  }

  private static String shorten(String text) {
    return text.length() > MAX_BODY_IN_MESSAGE
        ? text.substring(0, MAX_BODY_IN_MESSAGE) + "…"
        : text;
  }

  private static String timeoutText(HttpTimeoutException e) {
    return e instanceof java.net.http.HttpConnectTimeoutException
        ? CONNECT_TIMEOUT.toSeconds() + " s (connect timeout)"
        : REQUEST_TIMEOUT.toSeconds() + " s";
  }

  private String scrub(String text) {
    return text.replace(apiKey, "***")
        .replace(URLEncoder.encode(apiKey, StandardCharsets.UTF_8), "***");
  }

  /** The deepest message in the cause chain: the JDK client wraps the real reason. */
  private static String reason(Throwable e) {
    String message = null;
    boolean connect = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      connect |= t instanceof ConnectException;
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message != null) {
      return message;
    }
    // A refused connection comes as a ConnectException without any message at all.
    return connect ? "connection refused or host unreachable" : e.getClass().getSimpleName();
  }

  /**
   * A poll of one city failed. The message is safe to show (it never holds the API key). No cause
   * is kept, since a cause's own message could carry the request URI and with it the key.
   */
  static final class PollFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    PollFailure(String message, boolean transientFailure) {
      super(message, null, false, false);
      this.transientFailure = transientFailure;
    }

    /** Whether polling again later may succeed (timeouts, unreachable host, HTTP 429 or 5xx). */
    boolean isTransient() {
      return transientFailure;
    }
  }
}

package io.tributary.generators.openweathermap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.contracts.Contract;
import io.tributary.contracts.ParseOutcome;
import io.tributary.generators.Flags;
import io.tributary.generators.GeneratedRecord;
import io.tributary.generators.KafkaTarget.TargetException;
import io.tributary.generators.RecordKind;
import io.tributary.generators.openweathermap.FakeOpenWeatherMap.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenWeatherMapSourceTest {
  private static final String KEY = "k3y-0f-t3st-0nly";
  private static final Map<String, String> ENV = Map.of("OPENWEATHER_API_KEY", KEY);
  private static final String INVALID_KEY_BODY =
      "{\"cod\":401,\"message\":\"Invalid API key. Please see https://openweathermap.org/faq#error401 for more"
          + " info.\"}";

  private static OpenWeatherMapSource source(FakeOpenWeatherMap api, String cities) {
    return OpenWeatherMapSource.fromFlags(
        flags("--cities=" + cities, "--apiUrl=" + api.apiUrl()), ENV);
  }

  private static Flags flags(String... args) {
    return Flags.parse(args, Set.of("cities", "pollSeconds", "apiUrl"));
  }

  /** Madrid and Oslo answer with the sample readings; every other city is unknown. */
  private static Reply samples(String city, int attempt) throws IOException {
    return switch (city) {
      case "Madrid" ->
          new Reply(200, OpenWeatherMapMappingTest.sample("madrid-rain.json").toString());
      case "Oslo" -> new Reply(200, OpenWeatherMapMappingTest.sample("oslo-snow.json").toString());
      default -> new Reply(404, "{\"cod\":\"404\",\"message\":\"city not found\"}");
    };
  }

  @Test
  void readsEveryCityWithTheKeyAndMetricUnits() throws Exception {
    try (FakeOpenWeatherMap api = new FakeOpenWeatherMap(OpenWeatherMapSourceTest::samples);
        OpenWeatherMapSource source = source(api, " Madrid , Oslo")) {
      assertThat(source.position()).isEqualTo("not polled yet");

      GeneratedRecord madrid = source.next();
      GeneratedRecord oslo = source.next();

      assertThat(new String(madrid.key(), StandardCharsets.UTF_8)).isEqualTo("owm-3117735");
      assertThat(new String(oslo.key(), StandardCharsets.UTF_8)).isEqualTo("owm-3143244");
      for (GeneratedRecord record : List.of(madrid, oslo)) {
        assertThat(record.kind()).isEqualTo(RecordKind.VALID);
        assertThat(record.late()).isFalse();
        assertThat(Contract.forDataset("weather").parser().parse(record.value()))
            .isInstanceOf(ParseOutcome.Valid.class);
      }
      assertThat(api.requests())
          .extracting(FakeOpenWeatherMap.Request::query)
          .containsExactly(
              Map.of("q", "Madrid", "units", "metric", "appid", KEY),
              Map.of("q", "Oslo", "units", "metric", "appid", KEY));
      assertThat(source.position()).matches("polled 2 cities, next poll in (59|60) s");
    }
  }

  @Test
  void encodesCityNamesInTheQuery() {
    OpenWeatherMapClient client = new OpenWeatherMapClient("http://127.0.0.1:1/weather", "a b&c");

    assertThat(client.requestUri("New York").toString())
        .isEqualTo("http://127.0.0.1:1/weather?q=New+York&units=metric&appid=a+b%26c");
    assertThat(
            new OpenWeatherMapClient("http://127.0.0.1:1/weather?lang=es", "k")
                .requestUri("Madrid")
                .toString())
        .isEqualTo("http://127.0.0.1:1/weather?lang=es&q=Madrid&units=metric&appid=k");
  }

  @Test
  void aRejectedKeyStopsTheRunWithOpenWeatherMapsReasonButNotTheKey() throws Exception {
    try (FakeOpenWeatherMap api =
            new FakeOpenWeatherMap((city, attempt) -> new Reply(401, INVALID_KEY_BODY));
        OpenWeatherMapSource source = source(api, "Madrid")) {
      assertThatThrownBy(source::next)
          .isInstanceOf(TargetException.class)
          .hasMessage(
              "OpenWeatherMap rejected the API key (HTTP 401): Invalid API key. Please see"
                  + " https://openweathermap.org/faq#error401 for more info.")
          .hasNoCause()
          .message()
          .doesNotContain(KEY);
    }
  }

  @Test
  void anUnknownCityStopsTheRunNamingTheCity() throws Exception {
    try (FakeOpenWeatherMap api = new FakeOpenWeatherMap(OpenWeatherMapSourceTest::samples);
        OpenWeatherMapSource source = source(api, "Madrid,Atlantis")) {
      assertThatThrownBy(source::next)
          .isInstanceOf(TargetException.class)
          .hasMessage(
              "OpenWeatherMap does not know the city 'Atlantis' (HTTP 404): city not found");
    }
  }

  @Test
  void aNotFoundThatIsNotFromOpenWeatherMapPointsAtTheApiUrl() throws Exception {
    try (FakeOpenWeatherMap api =
            new FakeOpenWeatherMap((city, attempt) -> new Reply(404, "<h1>Not Found</h1>"));
        OpenWeatherMapSource source = source(api, "Madrid")) {
      assertThatThrownBy(source::next)
          .isInstanceOf(TargetException.class)
          .hasMessage(
              "OpenWeatherMap answered HTTP 404 for city 'Madrid' without an OpenWeatherMap error"
                  + " body: is --apiUrl="
                  + api.apiUrl()
                  + " right?");
    }
  }

  @Test
  void anyOtherStatusOnTheFirstPollStopsTheRunQuotingTheBody() throws Exception {
    try (FakeOpenWeatherMap api =
            new FakeOpenWeatherMap(
                (city, attempt) ->
                    new Reply(502, "<html>Bad Gateway for appid=" + KEY + "</html>"));
        OpenWeatherMapSource source = source(api, "Madrid")) {
      assertThatThrownBy(source::next)
          .isInstanceOf(TargetException.class)
          .hasMessage(
              "OpenWeatherMap answered HTTP 502 for city 'Madrid': <html>Bad Gateway for appid=***</html>");
    }
  }

  @Test
  void anUnreachableApiStopsTheRunNamingTheUrlButNotTheKey() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String apiUrl = "http://127.0.0.1:" + closedPort + "/data/2.5/weather";
    try (OpenWeatherMapSource source =
        OpenWeatherMapSource.fromFlags(flags("--cities=Madrid", "--apiUrl=" + apiUrl), ENV)) {
      assertThatThrownBy(source::next)
          .isInstanceOf(TargetException.class)
          .hasMessageStartingWith("cannot reach OpenWeatherMap at " + apiUrl + ": ")
          .message()
          .doesNotContain(KEY);
    }
  }

  @Test
  void pollsAgainWhenDueSkippingPassingFailuresAndMarkingRepeatedObservations() throws Exception {
    Duration interval = Duration.ofMillis(300);
    FakeOpenWeatherMap.Script script =
        (city, attempt) -> {
          if (city.equals("Madrid") && attempt == 2) {
            return new Reply(503, "{\"cod\":503,\"message\":\"try later\"}");
          }
          if (city.equals("Oslo") && attempt >= 2) {
            ObjectNode newer = (ObjectNode) OpenWeatherMapMappingTest.sample("oslo-snow.json");
            newer.put("dt", 1763701800);
            return new Reply(200, newer.toString());
          }
          return samples(city, attempt);
        };
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<GeneratedRecord> records = new ArrayList<>();
    String positionAfterSecondPoll;
    try (FakeOpenWeatherMap api = new FakeOpenWeatherMap(script);
        OpenWeatherMapSource source =
            new OpenWeatherMapSource(
                new OpenWeatherMapClient(api.apiUrl(), KEY), List.of("Madrid", "Oslo"), interval)) {
      // slf4j-simple looks System.err up on every line, so the warning lands here.
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      // A poll starts after these marks, and the next one is due an interval after that start.
      long beforeFirstPoll = System.nanoTime();
      records.add(source.next());
      records.add(source.next());
      long beforeSecondPoll = System.nanoTime();
      records.add(source.next());
      positionAfterSecondPoll = source.position();
      records.add(source.next());
      records.add(source.next());

      List<FakeOpenWeatherMap.Request> requests = api.requests();
      assertThat(requests)
          .extracting(FakeOpenWeatherMap.Request::city)
          .containsExactly("Madrid", "Oslo", "Madrid", "Oslo", "Madrid", "Oslo");
      assertThat(requests.get(2).nanoTime() - beforeFirstPoll)
          .as("the second poll waits one interval after the first")
          .isGreaterThanOrEqualTo(interval.toNanos());
      assertThat(requests.get(4).nanoTime() - beforeSecondPoll)
          .as("the third poll waits one interval after the second")
          .isGreaterThanOrEqualTo(interval.toNanos());
    } finally {
      System.setErr(originalErr);
    }

    assertThat(records)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8), GeneratedRecord::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("owm-3117735", RecordKind.VALID),
            org.assertj.core.groups.Tuple.tuple("owm-3143244", RecordKind.VALID),
            org.assertj.core.groups.Tuple.tuple("owm-3143244", RecordKind.VALID),
            org.assertj.core.groups.Tuple.tuple("owm-3117735", RecordKind.DUPLICATE),
            org.assertj.core.groups.Tuple.tuple("owm-3143244", RecordKind.DUPLICATE));
    assertThat(positionAfterSecondPoll).matches("polled 1 city, next poll in 0 s");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("WARN")
        .contains(
            "OpenWeatherMap answered HTTP 503 for city 'Madrid': try later; trying again at the next poll")
        .doesNotContain(KEY);
  }
}

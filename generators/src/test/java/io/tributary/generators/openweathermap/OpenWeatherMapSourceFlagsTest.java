package io.tributary.generators.openweathermap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.generators.Flags;
import io.tributary.generators.UsageException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenWeatherMapSourceFlagsTest {
  private static final Map<String, String> ENV = Map.of("OPENWEATHER_API_KEY", "k3y");

  private static Flags flags(String... args) {
    return Flags.parse(args, Set.of("cities", "pollSeconds", "apiUrl"));
  }

  @Test
  void withoutAnApiKeyTheUserIsToldWhereToGetOne() {
    assertThatThrownBy(() -> OpenWeatherMapSource.fromFlags(flags(), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "OPENWEATHER_API_KEY is not set: create a key at https://openweathermap.org/api and export"
                + " OPENWEATHER_API_KEY=...");
  }

  @Test
  void aBlankApiKeyCountsAsMissing() {
    assertThatThrownBy(
            () -> OpenWeatherMapSource.fromFlags(flags(), Map.of("OPENWEATHER_API_KEY", "  ")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("OPENWEATHER_API_KEY is not set");
  }

  @Test
  void defaultsNeedOnlyTheKey() {
    OpenWeatherMapSource source = OpenWeatherMapSource.fromFlags(flags(), ENV);

    assertThat(source.position()).isEqualTo("not polled yet");
    assertThat(OpenWeatherMapSource.cities(OpenWeatherMapSource.DEFAULT_CITIES))
        .containsExactly("Madrid", "London", "New York");
  }

  @Test
  void citiesAreTrimmed() {
    assertThat(OpenWeatherMapSource.cities(" Madrid ,New York "))
        .containsExactly("Madrid", "New York");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "Madrid,,London", "Madrid,", ","})
  void anEmptyCityNameIsRefused(String cities) {
    assertThatThrownBy(() -> OpenWeatherMapSource.fromFlags(flags("--cities=" + cities), ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "bad value for --cities: '"
                + cities
                + "' has an empty city name; list cities separated by commas, e.g. --cities=Madrid,London");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "soon"})
  void thePollIntervalMustBePositive(String seconds) {
    assertThatThrownBy(() -> OpenWeatherMapSource.fromFlags(flags("--pollSeconds=" + seconds), ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "bad value for --pollSeconds: '" + seconds + "' is not a whole number greater than 0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"api.openweathermap.org/data/2.5/weather", "ftp://example.org/weather", "http://"})
  void theApiUrlMustBeHttp(String url) {
    assertThatThrownBy(() -> OpenWeatherMapSource.fromFlags(flags("--apiUrl=" + url), ENV))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "bad value for --apiUrl: '"
                + url
                + "' is not an http(s) URL such as https://api.openweathermap.org/data/2.5/weather");
  }
}

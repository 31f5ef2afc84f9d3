package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverConfigTest {
  @Test
  void aFailoverReadsTheReplicasMirrorMakerNamesAfterTheAlias() {
    assertThat(RunConfig.failoverTopics("primary", List.of("weather", "trips")))
        .containsExactly("primary.weather", "primary.trips");
  }

  @Test
  void withoutAFailoverTheTopicsAreReadThemselves() {
    assertThat(RunConfig.failoverTopics(null, List.of("weather"))).containsExactly("weather");
    assertThat(RunConfig.failoverTopics(" ", List.of("weather"))).containsExactly("weather");
  }

  @Test
  void anAliasThatIsNotOneIsRefusedWithWhatItShouldBe() {
    assertThatThrownBy(() -> RunConfig.failoverTopics("primary.eu", List.of("weather")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bad value for --failoverFrom: 'primary.eu' is not a cluster alias (letters, digits,"
                + " '_' and '-', as given to ./tributary replicate --fromAlias)");
  }
}

package io.tributary.pipelines.datasets.trips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeohashTest {

  @Test
  void encodesKnownPositions() {
    assertThat(Geohash.encode(57.64911, 10.40744, 11)).isEqualTo("u4pruydqqvj");
    assertThat(Geohash.encode(57.64911, 10.40744, 5)).isEqualTo("u4pru");
    assertThat(Geohash.encode(40.4168, -3.7038, 5)).isEqualTo("ezjmg");
    assertThat(Geohash.encode(42.605, -5.603, 5)).isEqualTo("ezs42");
  }

  @Test
  void cornersAndOriginFallInTheirExpectedCells() {
    assertThat(Geohash.encode(0, 0, 5)).isEqualTo("s0000");
    assertThat(Geohash.encode(-90, -180, 5)).isEqualTo("00000");
    assertThat(Geohash.encode(90, 180, 5)).isEqualTo("zzzzz");
  }

  @Test
  void shorterPrecisionIsAPrefix() {
    String full = Geohash.encode(40.4168, -3.7038, Geohash.MAX_PRECISION);

    assertThat(full).hasSize(12);
    for (int precision = 1; precision < Geohash.MAX_PRECISION; precision++) {
      assertThat(Geohash.encode(40.4168, -3.7038, precision))
          .isEqualTo(full.substring(0, precision));
    }
  }

  @Test
  void rejectsPositionsOutOfRange() {
    assertThatThrownBy(() -> Geohash.encode(90.5, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("geohash needs lat in [-90, 90] and lon in [-180, 180], got (90.5, 0.0)");
    assertThatThrownBy(() -> Geohash.encode(0, Double.NaN, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got (0.0, NaN)");
  }

  @Test
  void rejectsPrecisionOutOfRange() {
    assertThatThrownBy(() -> Geohash.encode(0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("geohash precision must be 1..12, got 0");
    assertThatThrownBy(() -> Geohash.encode(0, 0, 13))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("geohash precision must be 1..12, got 13");
  }
}

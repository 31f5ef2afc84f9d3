package io.tributary.pipelines.lakehouse.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.beam.sdk.util.SerializableUtils;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

public class WriteSettingsTest {
  @Test
  void defaults() {
    assertThat(WriteSettings.DEFAULTS)
        .isEqualTo(new WriteSettings(2, 500_000, Duration.standardSeconds(10), Optional.empty()));
  }

  @Test
  void survivesJavaSerializationDespiteItsOptional() {
    WriteSettings settings =
        WriteSettings.DEFAULTS.withShards(4).withAccountedTopic(Optional.of("weather"));

    assertThat(SerializableUtils.clone(settings)).isEqualTo(settings);
    assertThat(SerializableUtils.clone(WriteSettings.DEFAULTS)).isEqualTo(WriteSettings.DEFAULTS);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> WriteSettings.DEFAULTS.withShards(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shards must be at least 1, got 0");
    assertThatThrownBy(() -> WriteSettings.DEFAULTS.withFlushInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flushInterval must be positive");
    assertThatThrownBy(() -> WriteSettings.DEFAULTS.withAccountedTopic(Optional.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lineage needs a topic name");
  }
}

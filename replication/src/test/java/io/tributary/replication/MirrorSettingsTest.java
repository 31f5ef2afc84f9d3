package io.tributary.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.kafka.connection.KafkaConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorSettingsTest {
  private static Map<String, String> settings() {
    return MirrorSettings.of(
        "primary",
        KafkaConnection.plaintext("p:9092"),
        "secondary",
        KafkaConnection.plaintext("s:9092"),
        List.of("weather", "banking.tx"),
        -1);
  }

  @Test
  void oneFlowWithCheckpointsAndOffsetSyncsKeptOnTheTarget() {
    Map<String, String> props = settings();
    assertThat(props)
        .containsEntry("clusters", "primary, secondary")
        .containsEntry("primary.bootstrap.servers", "p:9092")
        .containsEntry("secondary.bootstrap.servers", "s:9092")
        .containsEntry("primary->secondary.enabled", "true")
        .containsEntry("secondary->primary.enabled", "false")
        .containsEntry("primary->secondary.topics", "weather,banking\\.tx")
        .containsEntry("offset-syncs.topic.location", "target")
        .containsEntry("secondary.offset.flush.interval.ms", "1000")
        .containsEntry("emit.checkpoints.enabled", "true")
        .containsEntry("sync.group.offsets.enabled", "true")
        .containsEntry("replication.factor", "-1");
  }

  @Test
  void replicasAreNamedAfterTheSourceAlias() {
    assertThat(MirrorSettings.replicaTopic("primary", "weather")).isEqualTo("primary.weather");
  }

  @Test
  void flagsAreCheckedWithMessagesThatSayWhatIsWrong() {
    assertThatThrownBy(
            () ->
                Replicate.Settings.of(
                    Replicate.parse(new String[] {"--from=p:9092", "--to=s:9092"})))
        .hasMessage("--topics=T[,T...] is required");
    assertThatThrownBy(
            () ->
                Replicate.Settings.of(
                    Replicate.parse(
                        new String[] {
                          "--from=p:9092", "--to=s:9092", "--topics=w", "--toAlias=primary"
                        })))
        .hasMessage("--fromAlias and --toAlias must differ (both are primary)");
    assertThatThrownBy(
            () ->
                Replicate.Settings.of(Replicate.parse(new String[] {"--to=s:9092", "--topics=w"})))
        .hasMessageStartingWith("--from: no cluster given");
  }
}

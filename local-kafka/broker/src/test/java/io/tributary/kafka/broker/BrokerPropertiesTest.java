package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

  @Test
  void kafkaAcceptsTheConfigurationAsASingleNodeCluster() {
    KafkaConfig config =
        KafkaConfig.fromProps(
            BrokerProperties.create("127.0.0.1", 19092, 19093, Path.of("/tmp/kafka-data")), false);

    assertThat(config.nodeId()).isEqualTo(1);
    assertThat(config.quorumVoters()).containsExactly("1@127.0.0.1:19093");
    assertThat(config.numPartitions()).isEqualTo(4);
    assertThat(config.autoCreateTopicsEnable()).isTrue();
    assertThat(config.defaultReplicationFactor()).isEqualTo(1);
    assertThat(config.getShort("offsets.topic.replication.factor")).isEqualTo((short) 1);
    assertThat(config.getInt("group.initial.rebalance.delay.ms")).isZero();
    assertThat(config.metadataLogDir()).isEqualTo("/tmp/kafka-data");
  }
}

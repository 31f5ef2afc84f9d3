package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

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

  @Test
  void theEventHubsListenerIsSaslSslWithOurAuthenticatorAndNoAutoCreation() {
    BrokerProperties.SaslSslListener listener =
        new BrokerProperties.SaslSslListener(
            19094, Path.of("/tmp/eh/server.pem"), "RootManageSharedAccessKey", "s3cretKey=");

    KafkaConfig config =
        KafkaConfig.fromProps(
            BrokerProperties.create(
                "127.0.0.1", 19092, 19093, Path.of("/tmp/kafka-data"), listener),
            false);

    assertThat(config.autoCreateTopicsEnable()).isFalse();
    assertThat(CollectionConverters.asJava(config.effectiveAdvertisedBrokerListeners()))
        .extracting(endpoint -> endpoint.listenerName().value() + "@" + endpoint.port())
        .containsExactlyInAnyOrder("PLAINTEXT@19092", "EVENTHUBS@19094");
    assertThat(
            CollectionConverters.asJava(config.effectiveListenerSecurityProtocolMap())
                .get(new ListenerName("EVENTHUBS")))
        .isEqualTo(SecurityProtocol.SASL_SSL);
    Map<String, Object> eventHubs =
        config.valuesWithPrefixOverride(new ListenerName("EVENTHUBS").configPrefix());
    assertThat(eventHubs)
        .containsEntry("ssl.keystore.type", "PEM")
        .containsEntry("ssl.keystore.location", "/tmp/eh/server.pem");
    assertThat(eventHubs.get("plain.sasl.server.callback.handler.class"))
        .isEqualTo(ConnectionStringAuthenticator.class);
    // Kafka treats the JAAS config as a password: it never prints the key in its config dump.
    assertThat(eventHubs.get("plain.sasl.jaas.config")).isInstanceOf(Password.class);
    assertThat(String.valueOf(eventHubs.get("plain.sasl.jaas.config"))).doesNotContain("s3cretKey");
    assertThat(listener.toString()).doesNotContain("s3cretKey");
  }
}

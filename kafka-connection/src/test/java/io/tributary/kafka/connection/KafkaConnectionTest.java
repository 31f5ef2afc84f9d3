package io.tributary.kafka.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.kafka.connection.KafkaConnection.Role;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {
  private static final String KEY = "fake-test-key-distinctive-0042";
  private static final String CONNECTION_STRING =
      "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + KEY;

  @TempDir Path dir;

  private String secretFile(String name, String value) throws Exception {
    return "file:" + Files.writeString(dir.resolve(name), value);
  }

  @Test
  void plainKafkaNeedsOnlyBootstrapServers() {
    KafkaConnection plain = KafkaConnection.plaintext("127.0.0.1:9092");
    assertThat(plain.isEventHubs()).isFalse();
    assertThat(plain.clientSettings(Role.CONSUMER))
        .containsExactly(Map.entry("bootstrap.servers", "127.0.0.1:9092"));
    assertThat(plain.describe()).isEqualTo("Kafka at 127.0.0.1:9092");
  }

  @Test
  void aConnectionStringAloneFindsItsNamespace() throws Exception {
    KafkaConnection eh =
        KafkaConnection.builder()
            .eventHubsConnectionString(secretFile("cs", CONNECTION_STRING))
            .build();
    assertThat(eh.bootstrapServers()).isEqualTo("myns.servicebus.windows.net:9093");
    assertThat(eh.describe()).isEqualTo("Event Hubs namespace myns");

    Map<String, Object> producer = eh.clientSettings(Role.PRODUCER);
    assertThat(producer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("max.request.size", 1_000_000)
        .containsEntry("compression.type", "none")
        .containsEntry("metadata.max.age.ms", 180_000)
        .containsEntry("connections.max.idle.ms", 180_000)
        .containsEntry("request.timeout.ms", 60_000);
    assertThat((String) producer.get("sasl.jaas.config"))
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required")
        .contains("username=\"$ConnectionString\"")
        .contains("password=\"" + CONNECTION_STRING + "\"");
    assertThat(eh.publicSettings(Role.PRODUCER).toString()).doesNotContain(KEY);
    assertThat(eh.clientSettings(Role.CONSUMER))
        .containsEntry("session.timeout.ms", 30_000)
        .containsEntry("heartbeat.interval.ms", 3_000)
        .containsEntry("max.poll.interval.ms", 300_000);
  }

  @Test
  void aNamespaceFlagBecomesTheKafkaEndpoint() throws Exception {
    String ref = secretFile("cs", CONNECTION_STRING);
    assertThat(
            KafkaConnection.builder()
                .eventHubsNamespace("myns")
                .eventHubsConnectionString(ref)
                .build()
                .bootstrapServers())
        .isEqualTo("myns.servicebus.windows.net:9093");
    assertThat(
            KafkaConnection.builder()
                .eventHubsNamespace("other.servicebus.windows.net:9093")
                .eventHubsConnectionString(ref)
                .build()
                .bootstrapServers())
        .isEqualTo("other.servicebus.windows.net:9093");
  }

  @Test
  void theSerializedFormHoldsTheReferenceNotTheSecret() throws Exception {
    KafkaConnection eh =
        KafkaConnection.builder()
            .eventHubsConnectionString(secretFile("cs", CONNECTION_STRING))
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(eh);
    }
    assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).doesNotContain(KEY).contains("cs");
    assertThat(eh.toString()).doesNotContain(KEY);
  }

  @Test
  void entraIdUsesKafkasOidcClientCredentialsLogin() throws Exception {
    KafkaConnection eh =
        KafkaConnection.builder()
            .eventHubsNamespace("myns")
            .eventHubsTenantId("tenant-1")
            .eventHubsClientId("app-1")
            .eventHubsClientSecret(secretFile("secret", "client-secret-value"))
            .build();
    Map<String, Object> consumer = eh.clientSettings(Role.CONSUMER);
    assertThat(consumer)
        .containsEntry("sasl.mechanism", "OAUTHBEARER")
        .containsEntry(
            "sasl.oauthbearer.token.endpoint.url",
            "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token")
        .containsEntry(
            "sasl.login.callback.handler.class",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
    assertThat((String) consumer.get("sasl.jaas.config"))
        .contains("clientId=\"app-1\"")
        .contains("clientSecret=\"client-secret-value\"")
        .contains("scope=\"https://myns.servicebus.windows.net/.default\"");
    assertThat(eh.publicSettings(Role.CONSUMER).toString()).doesNotContain("client-secret-value");
  }

  @Test
  void aCredentialInTheWrongPlaceIsNamed() throws Exception {
    assertThatThrownBy(
            () ->
                KafkaConnection.builder()
                    .eventHubsNamespace("myns")
                    .eventHubsTenantId("t")
                    .eventHubsClientId("c")
                    .eventHubsClientSecret(secretFile("cs", CONNECTION_STRING))
                    .build())
        .hasMessageContaining("holds an Event Hubs connection string")
        .hasMessageContaining("--eventHubsConnectionString")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(
            () ->
                KafkaConnection.builder()
                    .eventHubsConnectionString(secretFile("secret", "Abc8Q~client.secret-value"))
                    .build())
        .hasMessageContaining("--eventHubsClientSecret")
        .hasMessageNotContaining("Abc8Q~client.secret-value");
  }

  @Test
  void incompleteOrConflictingFlagsAreNamed() throws Exception {
    assertThatThrownBy(() -> KafkaConnection.builder().build())
        .hasMessageContaining("--bootstrapServers=HOST:PORT");
    assertThatThrownBy(() -> KafkaConnection.builder().eventHubsNamespace("myns").build())
        .hasMessageContaining("needs a credential");
    assertThatThrownBy(
            () ->
                KafkaConnection.builder()
                    .eventHubsNamespace("myns")
                    .eventHubsTenantId("t")
                    .eventHubsClientSecret(secretFile("s", "x"))
                    .build())
        .hasMessageContaining("--eventHubsClientId")
        .hasMessageNotContaining("--eventHubsTenantId");
    assertThatThrownBy(
            () ->
                KafkaConnection.builder()
                    .eventHubsConnectionString(secretFile("cs", CONNECTION_STRING))
                    .eventHubsClientId("c")
                    .build())
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                KafkaConnection.builder()
                    .eventHubsConnectionString(
                        secretFile(
                            "bad",
                            "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKey=" + KEY))
                    .build())
        .hasMessageContaining("no SharedAccessKeyName part")
        .hasMessageContaining("(read from file:")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(
            () ->
                KafkaConnection.builder()
                    .bootstrapServers("127.0.0.1:9092")
                    .sslTrustStore(dir.resolve("missing.pem").toString())
                    .build())
        .hasMessageContaining("--sslTrustStore=")
        .hasMessageContaining("not a readable file");
  }

  @Test
  void anEntityLevelConnectionStringMustMatchTheTopic() throws Exception {
    KafkaConnection eh =
        KafkaConnection.builder()
            .eventHubsConnectionString(secretFile("cs", CONNECTION_STRING + ";EntityPath=weather"))
            .build();
    eh.checkTopic("weather");
    assertThatThrownBy(() -> eh.checkTopic("trips"))
        .hasMessageContaining("scoped to event hub 'weather'")
        .hasMessageContaining("--topic=weather");
  }

  @Test
  void explainsAuthenticationAndTrustFailures() throws Exception {
    KafkaConnection eh =
        KafkaConnection.builder()
            .eventHubsConnectionString(secretFile("cs", CONNECTION_STRING))
            .build();
    assertThat(
            eh.explain(
                new RuntimeException(
                    "wrapped", new SaslAuthenticationException("Authentication failed"))))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith(
                        "authentication failed for Event Hubs namespace myns: check"
                            + " SharedAccessKeyName/SharedAccessKey"));
    assertThat(eh.explain(new SslAuthenticationException("SSL handshake failed")))
        .hasValueSatisfying(message -> assertThat(message).contains("--sslTrustStore="));
    assertThat(eh.explain(new IllegalStateException("other"))).isEmpty();
  }
}

package io.tributary.kafka.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionStringTest {
  private static final String KEY = "fake-test-key-that-must-not-leak";

  @Test
  void parsesANamespaceLevelConnectionString() {
    ConnectionString parsed =
        ConnectionString.parse(
            "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey="
                + KEY);
    assertThat(parsed.endpointHost()).isEqualTo("myns.servicebus.windows.net");
    assertThat(parsed.bootstrapServers()).isEqualTo("myns.servicebus.windows.net:9093");
    assertThat(parsed.sharedAccessKeyName()).isEqualTo("Root");
    assertThat(parsed.sharedAccessKey()).isEqualTo(KEY);
    assertThat(parsed.entityPath()).isEmpty();
    assertThat(parsed.toString()).doesNotContain(KEY).contains("<hidden>");
  }

  @Test
  void keepsTheEntityPathAndAnExplicitEndpointPort() {
    ConnectionString parsed =
        ConnectionString.parse(
            "Endpoint=sb://127.0.0.1:19093/;SharedAccessKeyName=Root;SharedAccessKey=k;"
                + "EntityPath=weather\n");
    assertThat(parsed.bootstrapServers()).isEqualTo("127.0.0.1:19093");
    assertThat(parsed.entityPath()).contains("weather");
    assertThat(parsed.secretText()).doesNotEndWith("\n");
  }

  @Test
  void namesTheMissingPartWithoutRepeatingTheKey() {
    assertThatThrownBy(
            () -> ConnectionString.parse("SharedAccessKeyName=Root;SharedAccessKey=" + KEY))
        .hasMessageContaining("no Endpoint part")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(
            () ->
                ConnectionString.parse(
                    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=" + KEY))
        .hasMessageContaining("no SharedAccessKeyName part")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(
            () ->
                ConnectionString.parse(
                    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root"))
        .hasMessageContaining("no SharedAccessKey part");
    assertThatThrownBy(
            () ->
                ConnectionString.parse(
                    "Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=Root;"
                        + "SharedAccessKey="
                        + KEY))
        .hasMessageContaining("sb://")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void rejectsSasTokensAndThingsThatAreNotConnectionStrings() {
    assertThatThrownBy(
            () ->
                ConnectionString.parse(
                    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x"))
        .hasMessageContaining("SAS token");
    assertThatThrownBy(() -> ConnectionString.parse(KEY))
        .hasMessageContaining("--eventHubsClientSecret")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(() -> ConnectionString.parse("  ")).hasMessageContaining("empty");
  }
}

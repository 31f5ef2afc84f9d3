package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.kafka.connection.ConnectionString;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventHubsStandInTest {

  @TempDir Path dataDir;

  @Test
  void makesARandomKeyOnceAndKeepsIt() throws IOException {
    EventHubsStandIn first =
        EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.empty());
    EventHubsStandIn second =
        EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.empty());

    ConnectionString parsed = ConnectionString.parse(first.connectionString());
    assertThat(Base64.getDecoder().decode(parsed.sharedAccessKey())).hasSize(32);
    assertThat(parsed.sharedAccessKeyName()).isEqualTo("RootManageSharedAccessKey");
    assertThat(parsed.bootstrapServers()).isEqualTo("127.0.0.1:19093");
    assertThat(parsed.entityPath()).isEmpty();
    assertThat(second.connectionString()).isEqualTo(first.connectionString());
    assertThat(Files.readString(keyFile()).strip()).isEqualTo(parsed.sharedAccessKey());
    assertThat(Files.readString(connectionStringFile())).isEqualTo(first.connectionString() + "\n");
  }

  @Test
  void theKeyAndTheConnectionStringAreReadableByTheirOwnerOnly() throws IOException {
    EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.empty());
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(connectionStringFile())))
        .isEqualTo("rw-------");
  }

  @Test
  void aGivenKeyIsUsedForThisRunAndNotStored() throws IOException {
    EventHubsStandIn standIn =
        EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.of("given+key/="));

    assertThat(ConnectionString.parse(standIn.connectionString()).sharedAccessKey())
        .isEqualTo("given+key/=");
    assertThat(Files.readString(connectionStringFile())).contains("SharedAccessKey=given+key/=");
    assertThat(keyFile()).doesNotExist();
  }

  @Test
  void aNewPortIsWrittenToTheConnectionStringFile() throws IOException {
    EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.empty());

    EventHubsStandIn.prepare(dataDir, "127.0.0.1", 29093, Optional.empty());

    assertThat(Files.readString(connectionStringFile()))
        .startsWith("Endpoint=sb://127.0.0.1:29093/;");
  }

  @Test
  void readyLinesSayWhereToConnectAndWhatToPass() {
    EventHubsStandIn standIn =
        EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.of("k3y"));
    Path dir = dataDir.toAbsolutePath().resolve("eventhubs");

    assertThat(standIn.readyLines())
        .containsExactly(
            "Event Hubs stand-in ready at 127.0.0.1:19093 (SASL_SSL, SASL PLAIN, user"
                + " $ConnectionString)",
            "  connection string: Endpoint=sb://127.0.0.1:19093/;"
                + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=k3y",
            "  connection string file: " + dir.resolve("connection-string"),
            "  trust store (PEM): " + dir.resolve("ca.pem"),
            "  use: --eventHubsConnectionString=file:"
                + dir.resolve("connection-string")
                + " --sslTrustStore="
                + dir.resolve("ca.pem"));
  }

  @Test
  void aDamagedKeyFileStopsTheStartWithoutShowingItsContent() throws IOException {
    Files.createDirectories(keyFile().getParent());
    Files.writeString(keyFile(), "pasted secret; with junk");

    assertThatThrownBy(
            () -> EventHubsStandIn.prepare(dataDir, "127.0.0.1", 19093, Optional.empty()))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("does not hold a base64 key; delete it")
        .hasMessageNotContaining("pasted secret");
  }

  private Path keyFile() {
    return dataDir.resolve("eventhubs").resolve("shared-access-key");
  }

  private Path connectionStringFile() {
    return dataDir.resolve("eventhubs").resolve("connection-string");
  }
}

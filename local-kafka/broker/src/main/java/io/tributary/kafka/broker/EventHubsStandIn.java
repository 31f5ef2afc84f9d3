package io.tributary.kafka.broker;

import io.tributary.kafka.connection.ConnectionString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A local stand-in for Azure Event Hubs' Kafka endpoint: the files in {@code <dataDir>/eventhubs/}
 * and the SASL_SSL listener built from them.
 *
 * <p>Like the real service it takes SASL PLAIN over TLS with the username {@code $ConnectionString}
 * and a connection string as password. The key is generated once and kept, so a restart changes
 * neither the connection string nor the certificate clients trust.
 */
final class EventHubsStandIn {

  static final String DIRECTORY = "eventhubs";
  static final String KEY_FILE = "shared-access-key";
  static final String CONNECTION_STRING_FILE = "connection-string";
  static final String KEY_NAME = "RootManageSharedAccessKey";

  /** Start of the stdout line printed once the SASL_SSL listener takes connections. */
  static final String READY_PREFIX = "Event Hubs stand-in ready at ";

  /** Event Hubs keys are 32 random bytes, base64-encoded (44 characters). */
  private static final int KEY_BYTES = 32;

  private final String host;
  private final int port;
  private final String key;
  private final Path connectionStringFile;
  private final StandInTls.TlsFiles tls;

  private EventHubsStandIn(
      String host, int port, String key, Path connectionStringFile, StandInTls.TlsFiles tls) {
    this.host = host;
    this.port = port;
    this.key = key;
    this.connectionStringFile = connectionStringFile;
    this.tls = tls;
  }

  /**
   * Makes or reuses the key and the certificates in {@code <dataDir>/eventhubs/} and writes the
   * connection string for {@code host:port}.
   *
   * @param givenKey {@code --eventHubsKey}; it wins over the stored key for this run and is not
   *     stored
   */
  static EventHubsStandIn prepare(Path dataDir, String host, int port, Optional<String> givenKey) {
    Path dir = dataDir.resolve(DIRECTORY);
    StandInTls.TlsFiles tls = StandInTls.prepare(dir, host, Instant.now());
    try {
      String key = givenKey.isPresent() ? givenKey.get() : readOrCreateKey(dir.resolve(KEY_FILE));
      EventHubsStandIn standIn =
          new EventHubsStandIn(host, port, key, dir.resolve(CONNECTION_STRING_FILE), tls);
      PemFiles.writePrivate(standIn.connectionStringFile, standIn.connectionString() + "\n");
      return standIn;
    } catch (IOException e) {
      throw new StartupException(
          "cannot prepare the Event Hubs stand-in's files in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String readOrCreateKey(Path file) throws IOException {
    if (Files.exists(file)) {
      String key = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!key.matches("[A-Za-z0-9+/=]+")) {
        // Never echo the content: it is (or was meant to be) a secret.
        throw new StartupException(
            file + " does not hold a base64 key; delete it to have a new key made");
      }
      return key;
    }
    byte[] bytes = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    String key = Base64.getEncoder().encodeToString(bytes);
    PemFiles.writePrivate(file, key + "\n");
    return key;
  }

  /** The full connection string, key included: what clients pass as the SASL PLAIN password. */
  String connectionString() {
    String endpointHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String text =
        "Endpoint=sb://"
            + endpointHost
            + ":"
            + port
            + "/;SharedAccessKeyName="
            + KEY_NAME
            + ";SharedAccessKey="
            + key;
    // The clients' own parser must read what we hand out, host and port included.
    ConnectionString.parse(text);
    return text;
  }

  int port() {
    return port;
  }

  BrokerProperties.SaslSslListener listener() {
    return new BrokerProperties.SaslSslListener(port, tls.serverKeyStore(), KEY_NAME, key);
  }

  /**
   * The stdout lines that tell a user how to connect. They carry the key on purpose: it is a local
   * test key, and the connection string is what a user copies.
   */
  List<String> readyLines() {
    Path file = connectionStringFile.toAbsolutePath();
    Path caCert = tls.caCert().toAbsolutePath();
    return List.of(
        READY_PREFIX
            + host
            + ":"
            + port
            + " (SASL_SSL, SASL PLAIN, user "
            + ConnectionStringAuthenticator.USERNAME
            + ")",
        "  connection string: " + connectionString(),
        "  connection string file: " + file,
        "  trust store (PEM): " + caCert,
        "  use: --eventHubsConnectionString=file:" + file + " --sslTrustStore=" + caCert);
  }
}

package io.tributary.kafka.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure Event Hubs shared-access connection string, {@code
 * Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=NAME;SharedAccessKey=KEY[;EntityPath=HUB]}.
 *
 * <p>Every message this class produces names the part that is wrong and never repeats the key, so
 * it is safe to show. {@link #toString()} hides the key too.
 */
public final class ConnectionString {
  /** The port of the Event Hubs Kafka endpoint. */
  public static final int KAFKA_PORT = 9093;

  private final String text;
  private final String endpointHost;
  private final int endpointPort;
  private final String keyName;
  private final String key;
  private final String entityPath;

  private ConnectionString(
      String text,
      String endpointHost,
      int endpointPort,
      String keyName,
      String key,
      String entityPath) {
    this.text = text;
    this.endpointHost = endpointHost;
    this.endpointPort = endpointPort;
    this.keyName = keyName;
    this.key = key;
    this.entityPath = entityPath;
  }

  /**
   * Parses a connection string.
   *
   * @throws IllegalArgumentException naming the missing or malformed part (never the key)
   */
  public static ConnectionString parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the Event Hubs connection string is empty");
    }
    String trimmed = text.strip();
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : trimmed.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "the Event Hubs connection string is malformed: expected KEY=VALUE parts separated by"
                + " ';' (Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=...;"
                + "SharedAccessKey=...). If this is an Entra ID client secret, pass it with"
                + " --eventHubsClientSecret instead");
      }
      parts.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1));
    }
    if (parts.containsKey("sharedaccesssignature")) {
      throw new IllegalArgumentException(
          "the Event Hubs connection string carries a SharedAccessSignature (a SAS token), which the"
              + " Kafka endpoint does not accept: use a connection string with SharedAccessKeyName"
              + " and SharedAccessKey (Azure portal: Shared access policies)");
    }
    String endpoint =
        required(parts, "Endpoint", "Endpoint=sb://NAMESPACE.servicebus.windows.net/");
    String keyName = required(parts, "SharedAccessKeyName", "SharedAccessKeyName=POLICY");
    String key = required(parts, "SharedAccessKey", "SharedAccessKey=KEY");
    if (key.indexOf('"') >= 0 || key.indexOf('\\') >= 0 || keyName.indexOf('"') >= 0) {
      throw new IllegalArgumentException(
          "the Event Hubs connection string's SharedAccessKeyName or SharedAccessKey contains a"
              + " quote or a backslash, which no Event Hubs key does: copy it again from the portal");
    }
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "the Event Hubs connection string's Endpoint is not a URI: expected"
              + " Endpoint=sb://NAMESPACE.servicebus.windows.net/");
    }
    if (!"sb".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "the Event Hubs connection string's Endpoint must look like"
              + " sb://NAMESPACE.servicebus.windows.net/, not "
              + endpoint.strip());
    }
    String entityPath = parts.get("entitypath");
    return new ConnectionString(
        trimmed,
        uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : KAFKA_PORT,
        keyName,
        key,
        entityPath == null || entityPath.isBlank() ? null : entityPath.strip());
  }

  /** True if {@code text} reads as a connection string (has an {@code Endpoint=} part). */
  public static boolean looksLikeOne(String text) {
    return text != null && text.toLowerCase(Locale.ROOT).contains("endpoint=sb://");
  }

  private static String required(Map<String, String> parts, String name, String example) {
    String value = parts.get(name.toLowerCase(Locale.ROOT));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "the Event Hubs connection string has no " + name + " part (expected " + example + ")");
    }
    return value;
  }

  /** The namespace host, e.g. {@code myns.servicebus.windows.net}. */
  public String endpointHost() {
    return endpointHost;
  }

  /** The Kafka bootstrap address of the namespace: its host and port 9093 (or the Endpoint's). */
  public String bootstrapServers() {
    return endpointHost + ":" + endpointPort;
  }

  public String sharedAccessKeyName() {
    return keyName;
  }

  public String sharedAccessKey() {
    return key;
  }

  /** The event hub an entity-level connection string is scoped to. */
  public Optional<String> entityPath() {
    return Optional.ofNullable(entityPath);
  }

  /** The whole connection string: the SASL PLAIN password. A secret. */
  public String secretText() {
    return text;
  }

  @Override
  public String toString() {
    return "Endpoint=sb://"
        + endpointHost
        + (endpointPort == KAFKA_PORT ? "" : ":" + endpointPort)
        + "/;SharedAccessKeyName="
        + keyName
        + ";SharedAccessKey=<hidden>"
        + (entityPath == null ? "" : ";EntityPath=" + entityPath);
  }
}

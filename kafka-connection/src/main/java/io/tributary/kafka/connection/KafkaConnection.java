package io.tributary.kafka.connection;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * How a Tributary client reaches its cluster: a plain Kafka broker, or an Azure Event Hubs
 * namespace over its Kafka endpoint (SASL_SSL, with a shared-access connection string or an Entra
 * ID service principal).
 *
 * <p>This object holds secret <em>references</em> only, so it can travel in options, display data
 * and serialized pipelines. {@link #clientSettings} resolves them and must only be called where a
 * client is constructed; its result must never be logged, stored or put in pipeline configuration.
 * {@link #publicSettings} is the same without the secret.
 */
public final class KafkaConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The Event Hubs namespaces' DNS suffix in Azure's public cloud. */
  public static final String EVENT_HUBS_SUFFIX = ".servicebus.windows.net";

  /** What a client is for; Event Hubs wants different settings for each. */
  public enum Role {
    CONSUMER,
    PRODUCER,
    ADMIN
  }

  private enum Auth {
    NONE,
    CONNECTION_STRING,
    ENTRA_ID
  }

  private final String bootstrapServers;
  private final Auth auth;
  private final String namespace;
  private final SecretRef connectionString;
  private final String tenantId;
  private final String clientId;
  private final SecretRef clientSecret;
  private final String trustStore;

  private KafkaConnection(Builder b, String bootstrapServers, Auth auth, String namespace) {
    this.bootstrapServers = bootstrapServers;
    this.auth = auth;
    this.namespace = namespace;
    this.connectionString = b.connectionString;
    this.tenantId = b.tenantId;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.trustStore = b.trustStore;
  }

  /** A plain-text connection to a Kafka cluster, as the local broker offers. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return builder().bootstrapServers(bootstrapServers).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public boolean isEventHubs() {
    return auth != Auth.NONE;
  }

  /** For messages: "Event Hubs namespace NS" or "Kafka at HOST:PORT". */
  public String describe() {
    return isEventHubs() ? "Event Hubs namespace " + namespace : "Kafka at " + bootstrapServers;
  }

  /** What a topic is called where this connection leads, for messages. */
  public String topicNoun() {
    return isEventHubs() ? "event hub" : "topic";
  }

  /**
   * Fails if an entity-level connection string is scoped to another event hub than {@code topic}.
   * Resolves the connection string; call it where configuration is validated.
   */
  public void checkTopic(String topic) {
    if (auth != Auth.CONNECTION_STRING) {
      return;
    }
    Optional<String> entity = ConnectionString.parse(connectionString.resolve()).entityPath();
    if (entity.isPresent() && !entity.get().equals(topic)) {
      throw new IllegalArgumentException(
          "the Event Hubs connection string is scoped to event hub '"
              + entity.get()
              + "' (its EntityPath) but the topic to use is '"
              + topic
              + "': use --topic="
              + entity.get()
              + ", or a namespace-level connection string (one without EntityPath)");
    }
  }

  /** Settings that carry no secret: safe for display data, logs and pipeline configuration. */
  public Map<String, Object> publicSettings(Role role) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (!isEventHubs()) {
      return settings;
    }
    settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    if (trustStore != null) {
      settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore);
      settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, trustStoreType(trustStore));
    }
    // Azure drops idle TCP connections after 240 s; stay below it (Event Hubs' recommendations).
    settings.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, 180_000);
    settings.put(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG, 180_000);
    // A wrong credential is not transient: do not hammer the service while a client gives up.
    settings.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
    if (auth == Auth.CONNECTION_STRING) {
      settings.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    } else {
      settings.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
      settings.put(
          SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
      settings.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, tokenEndpoint());
    }
    switch (role) {
      case PRODUCER -> {
        // The service closes the connection on requests above 1,046,528 bytes.
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        // The Standard tier takes no Kafka compression at all.
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
      }
      case CONSUMER -> {
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        // Kafka refuses an API timeout below the request timeout.
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
      }
      case ADMIN -> {
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
      }
    }
    return settings;
  }

  /**
   * Every setting a client needs, the resolved secret included. Call only where the client is
   * constructed; never log, store or pass on the result.
   */
  public Map<String, Object> clientSettings(Role role) {
    Map<String, Object> settings = publicSettings(role);
    if (auth == Auth.CONNECTION_STRING) {
      ConnectionString parsed = ConnectionString.parse(connectionString.resolve());
      settings.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          "org.apache.kafka.common.security.plain.PlainLoginModule required"
              + " username=\"$ConnectionString\" password=\""
              + parsed.secretText()
              + "\";");
    } else if (auth == Auth.ENTRA_ID) {
      String secret = resolveClientSecret();
      allowTokenEndpoint();
      settings.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
              + " clientId=\""
              + clientId
              + "\" clientSecret=\""
              + secret
              + "\" scope=\"https://"
              + namespaceHost()
              + "/.default\";");
    }
    return settings;
  }

  /**
   * An admin client for this connection. Against a plain broker its timeouts are cut to {@code
   * seconds}, since a local broker answers at once; Event Hubs keeps the longer ones it needs.
   */
  public Admin newAdmin(int seconds) {
    Properties props = new Properties();
    props.putAll(clientSettings(Role.ADMIN));
    if (!isEventHubs()) {
      props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, seconds * 1000);
      props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(seconds, 10) * 1000);
    }
    return Admin.create(props);
  }

  /**
   * Waits up to {@code seconds} for the cluster to answer through {@code admin}.
   *
   * @throws IllegalStateException with a message that names the cluster and says what to check: the
   *     credential or the TLS trust when those failed, else the address
   */
  public void awaitCluster(Admin admin, int seconds) {
    try {
      admin.describeCluster().nodes().get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + describe(), e);
    } catch (TimeoutException | ExecutionException | KafkaException e) {
      throw new IllegalStateException(
          explain(e)
              .orElse(
                  "cannot reach "
                      + describe()
                      + ": no broker answered within "
                      + seconds
                      + " s. "
                      + (isEventHubs()
                          ? "Is the namespace right, and is port 9093 open to it?"
                          : "Is the broker running (./tributary kafka) and is the address right?")),
          e);
    }
  }

  /**
   * A message a user can act on for a client failure whose cause is this connection's credential,
   * TLS trust or permissions; empty for anything else. Never contains a secret.
   */
  public Optional<String> explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SaslAuthenticationException
          || (auth == Auth.ENTRA_ID && t instanceof javax.security.auth.login.LoginException)) {
        return Optional.of(
            auth == Auth.ENTRA_ID
                ? "authentication failed for "
                    + describe()
                    + ": check --eventHubsTenantId, --eventHubsClientId and the client secret in "
                    + clientSecret
                    + ", and that the app has the Azure Event Hubs Data Sender or Data Receiver role"
                : "authentication failed for "
                    + describe()
                    + ": check SharedAccessKeyName/SharedAccessKey of the connection string in "
                    + connectionString);
      }
      if (t instanceof SslAuthenticationException) {
        return Optional.of(
            "the TLS handshake with "
                + describe()
                + " failed ("
                + rootMessage(t)
                + "): its certificate is not trusted. For the local stand-in pass"
                + " --sslTrustStore=<kafka dataDir>/eventhubs/ca.pem; for Azure check the JVM's"
                + " trust store and any TLS-intercepting proxy");
      }
      if (t instanceof TopicAuthorizationException denied) {
        return Optional.of(
            "not allowed to use event hub "
                + denied.unauthorizedTopics()
                + " in "
                + describe()
                + ": the credential needs Send (generator) or Listen (pipeline) rights, and the"
                + " namespace must be Standard tier or above (Basic has no Kafka endpoint)");
      }
    }
    return Optional.empty();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private String resolveClientSecret() {
    String secret = clientSecret.resolve();
    if (ConnectionString.looksLikeOne(secret)) {
      throw new IllegalArgumentException(
          "--eventHubsClientSecret ("
              + clientSecret
              + ") holds an Event Hubs connection string, not an Entra ID client secret: pass it"
              + " with --eventHubsConnectionString instead, or point --eventHubsClientSecret at the"
              + " app registration's client secret");
    }
    if (secret.indexOf('"') >= 0 || secret.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "the Entra ID client secret (" + clientSecret + ") contains a quote or a backslash");
    }
    return secret;
  }

  private String tokenEndpoint() {
    return "https://login.microsoftonline.com/" + tenantId + "/oauth2/v2.0/token";
  }

  /**
   * Kafka refuses token endpoints missing from this system property when the property is set.
   * Executors create clients too, so this runs wherever the secret is resolved.
   */
  private void allowTokenEndpoint() {
    String property = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
    String allowed = System.getProperty(property);
    if (allowed != null && !List.of(allowed.split(",")).contains(tokenEndpoint())) {
      System.setProperty(property, allowed + "," + tokenEndpoint());
    }
  }

  private String namespaceHost() {
    return bootstrapServers.substring(0, bootstrapServers.lastIndexOf(':'));
  }

  private static String trustStoreType(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jks")) {
      return "JKS";
    }
    if (lower.endsWith(".p12") || lower.endsWith(".pfx")) {
      return "PKCS12";
    }
    return "PEM";
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Collects the connection flags and checks that they make one coherent connection. Resolves the
   * connection string once (when given) to check its shape and derive the namespace; the value is
   * not kept.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String namespaceFlag;
    private SecretRef connectionString;
    private String tenantId;
    private String clientId;
    private SecretRef clientSecret;
    private String trustStore;

    private Builder() {}

    /** {@code --bootstrapServers}: a plain Kafka cluster, or the host:port of a SASL_SSL one. */
    public Builder bootstrapServers(String value) {
      this.bootstrapServers = blankToNull(value);
      return this;
    }

    /** {@code --eventHubsNamespace}: NS, NS.servicebus.windows.net, or HOST:PORT. */
    public Builder eventHubsNamespace(String value) {
      this.namespaceFlag = blankToNull(value);
      return this;
    }

    /** {@code --eventHubsConnectionString}: a secret reference. */
    public Builder eventHubsConnectionString(String reference) {
      this.connectionString =
          blankToNull(reference) == null
              ? null
              : SecretRef.parse("eventHubsConnectionString", reference);
      return this;
    }

    public Builder eventHubsTenantId(String value) {
      this.tenantId = blankToNull(value);
      return this;
    }

    public Builder eventHubsClientId(String value) {
      this.clientId = blankToNull(value);
      return this;
    }

    /** {@code --eventHubsClientSecret}: a secret reference. */
    public Builder eventHubsClientSecret(String reference) {
      this.clientSecret =
          blankToNull(reference) == null
              ? null
              : SecretRef.parse("eventHubsClientSecret", reference);
      return this;
    }

    /** {@code --sslTrustStore}: PEM, JKS or PKCS12 file of certificates to trust. */
    public Builder sslTrustStore(String path) {
      this.trustStore = blankToNull(path);
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the flag that is missing, conflicting or malformed
     */
    public KafkaConnection build() {
      boolean entra = tenantId != null || clientId != null || clientSecret != null;
      if (trustStore != null) {
        Path path = Path.of(trustStore);
        if (!Files.isReadable(path)) {
          throw new IllegalArgumentException(
              "--sslTrustStore=" + trustStore + " is not a readable file");
        }
        trustStore = path.toAbsolutePath().toString();
      }
      if (connectionString == null && !entra) {
        if (namespaceFlag != null) {
          throw new IllegalArgumentException(
              "--eventHubsNamespace needs a credential: --eventHubsConnectionString=env:VAR|file:PATH"
                  + " (shared access key), or --eventHubsTenantId, --eventHubsClientId and"
                  + " --eventHubsClientSecret=env:VAR|file:PATH (Entra ID service principal)");
        }
        if (bootstrapServers == null) {
          throw new IllegalArgumentException(
              "no cluster given: pass --bootstrapServers=HOST:PORT for Kafka, or"
                  + " --eventHubsNamespace=NAMESPACE with a credential for Azure Event Hubs");
        }
        if (trustStore != null) {
          throw new IllegalArgumentException(
              "--sslTrustStore applies to Event Hubs connections only (plain Kafka is not TLS)");
        }
        return new KafkaConnection(this, bootstrapServers, Auth.NONE, null);
      }
      if (connectionString != null && entra) {
        throw new IllegalArgumentException(
            "give either --eventHubsConnectionString (shared access key) or the Entra ID flags"
                + " (--eventHubsTenantId, --eventHubsClientId, --eventHubsClientSecret), not both");
      }
      if (bootstrapServers != null && namespaceFlag != null) {
        throw new IllegalArgumentException(
            "give either --bootstrapServers or --eventHubsNamespace, not both");
      }
      String address = namespaceFlag != null ? namespaceAddress(namespaceFlag) : bootstrapServers;
      if (connectionString != null) {
        String text = connectionString.resolve();
        ConnectionString parsed;
        try {
          parsed = ConnectionString.parse(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              e.getMessage() + " (read from " + connectionString + ")");
        }
        if (address == null) {
          address = parsed.bootstrapServers();
        }
        return new KafkaConnection(
            this, address, Auth.CONNECTION_STRING, namespaceName(parsed.endpointHost(), address));
      }
      List<String> missing = new ArrayList<>();
      if (tenantId == null) {
        missing.add("--eventHubsTenantId");
      }
      if (clientId == null) {
        missing.add("--eventHubsClientId");
      }
      if (clientSecret == null) {
        missing.add("--eventHubsClientSecret=env:VAR|file:PATH");
      }
      if (address == null) {
        missing.add("--eventHubsNamespace");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            "Entra ID authentication to Event Hubs also needs " + String.join(", ", missing));
      }
      KafkaConnection connection =
          new KafkaConnection(this, address, Auth.ENTRA_ID, namespaceName(null, address));
      connection.resolveClientSecret();
      return connection;
    }

    private static String namespaceAddress(String flag) {
      if (flag.contains(":")) {
        return flag;
      }
      String host = flag.contains(".") ? flag : flag + EVENT_HUBS_SUFFIX;
      return host + ":" + ConnectionString.KAFKA_PORT;
    }

    /** "myns" for myns.servicebus.windows.net, else the address itself (a local stand-in). */
    private static String namespaceName(String endpointHost, String address) {
      String host =
          endpointHost != null ? endpointHost : address.substring(0, address.lastIndexOf(':'));
      return host.endsWith(EVENT_HUBS_SUFFIX)
          ? host.substring(0, host.length() - EVENT_HUBS_SUFFIX.length())
          : address;
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value.strip();
    }
  }
}

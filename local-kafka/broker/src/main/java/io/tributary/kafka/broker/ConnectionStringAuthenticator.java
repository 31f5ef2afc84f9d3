package io.tributary.kafka.broker;

import io.tributary.kafka.connection.ConnectionString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks SASL PLAIN logins the way Azure Event Hubs' Kafka endpoint does: the username is literally
 * {@value #USERNAME} and the password a connection string whose SharedAccessKeyName and
 * SharedAccessKey are the broker's.
 *
 * <p>Kafka creates this class from {@code
 * listener.name.<listener>.plain.sasl.server.callback.handler.class} and hands it the options of
 * the listener's JAAS entry, {@value #KEY_NAME_OPTION} and {@value #KEY_OPTION}; the JAAS config is
 * a password-type setting, so Kafka never prints the key. A rejected login makes Kafka answer
 * "Authentication failed: Invalid username or password", which clients raise as a
 * SaslAuthenticationException without retrying.
 */
public final class ConnectionStringAuthenticator implements AuthenticateCallbackHandler {

  /** The username Event Hubs expects with a connection string as password. */
  public static final String USERNAME = "$ConnectionString";

  static final String KEY_NAME_OPTION = "sharedAccessKeyName";
  static final String KEY_OPTION = "sharedAccessKey";

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionStringAuthenticator.class);

  private String keyName;
  private byte[] key;

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasEntries) {
    if (jaasEntries.size() != 1) {
      throw new IllegalArgumentException(
          "expected one JAAS login module for " + saslMechanism + ", got " + jaasEntries.size());
    }
    Map<String, ?> options = jaasEntries.get(0).getOptions();
    Object name = options.get(KEY_NAME_OPTION);
    Object secret = options.get(KEY_OPTION);
    if (!(name instanceof String) || !(secret instanceof String)) {
      throw new IllegalArgumentException(
          "the JAAS entry needs the options " + KEY_NAME_OPTION + " and " + KEY_OPTION);
    }
    this.keyName = (String) name;
    this.key = ((String) secret).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    // Kafka's PlainSaslServer passes the username in a NameCallback ahead of the password.
    String username = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback name) {
        username = name.getDefaultName();
      } else if (callback instanceof PlainAuthenticateCallback plain) {
        plain.authenticated(accepts(username, new String(plain.password())));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  /**
   * True if the login is a connection string with the broker's key name and key. Logs why not,
   * without the username or the password (a user may have pasted the key into either).
   */
  boolean accepts(String username, String password) {
    if (!USERNAME.equals(username)) {
      return reject("the username is not " + USERNAME);
    }
    ConnectionString presented;
    try {
      presented = ConnectionString.parse(password);
    } catch (IllegalArgumentException e) {
      // ConnectionString's messages never contain the key.
      return reject("the password is not a connection string: " + e.getMessage());
    }
    // Both comparisons run in full whatever the outcome, so the time taken says nothing about
    // how much of the key was right.
    boolean nameMatches =
        MessageDigest.isEqual(
            presented.sharedAccessKeyName().getBytes(StandardCharsets.UTF_8),
            keyName.getBytes(StandardCharsets.UTF_8));
    boolean keyMatches =
        MessageDigest.isEqual(presented.sharedAccessKey().getBytes(StandardCharsets.UTF_8), key);
    if (!nameMatches) {
      return reject("its SharedAccessKeyName is not " + keyName);
    }
    if (!keyMatches) {
      return reject("its SharedAccessKey is not the broker's");
    }
    return true;
  }

  private static boolean reject(String reason) {
    LOG.warn("Event Hubs stand-in refused a SASL PLAIN login: {}", reason);
    return false;
  }

  @Override
  public void close() {}
}

package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks Kafka's PlainSaslServer delegates to us, driven with Kafka's own callbacks. */
class ConnectionStringAuthenticatorTest {

  private static final String KEY = "fake-test-key-for-the-stand-in-0001";
  private static final String RIGHT =
      "Endpoint=sb://127.0.0.1:9093/;SharedAccessKeyName=RootManageSharedAccessKey;"
          + "SharedAccessKey="
          + KEY;

  private final ConnectionStringAuthenticator authenticator = new ConnectionStringAuthenticator();

  @BeforeEach
  void configure() {
    authenticator.configure(
        Map.of(),
        "PLAIN",
        List.of(
            new AppConfigurationEntry(
                PlainLoginModule.class.getName(),
                LoginModuleControlFlag.REQUIRED,
                Map.of(
                    ConnectionStringAuthenticator.KEY_NAME_OPTION,
                    "RootManageSharedAccessKey",
                    ConnectionStringAuthenticator.KEY_OPTION,
                    KEY))));
  }

  @Test
  void acceptsTheBrokersConnectionString() throws Exception {
    assertThat(login("$ConnectionString", RIGHT)).isTrue();
  }

  @Test
  void acceptsItFromAnotherEndpointAndWithAnEntityPath() throws Exception {
    // Clients may reach the stand-in as localhost, and an entity-level string names one hub.
    assertThat(
            login(
                "$ConnectionString",
                RIGHT.replace("127.0.0.1:9093", "localhost:9093") + ";EntityPath=weather"))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SharedAccessKey=fake-test-key-for-the-stand-in-0002",
        "SharedAccessKey=fake-short",
        "SharedAccessKeyName=SendOnly",
        "Endpoint=https://127.0.0.1:9093/",
      })
  void refusesAConnectionStringWithAnotherPart(String part) throws Exception {
    String name = part.substring(0, part.indexOf('='));
    String wrong = RIGHT.replaceAll(name + "=[^;]+", part);

    assertThat(login("$ConnectionString", wrong)).isFalse();
  }

  @Test
  void refusesAnotherUsernameEvenWithTheRightPassword() throws Exception {
    assertThat(login("RootManageSharedAccessKey", RIGHT)).isFalse();
    assertThat(login(null, RIGHT)).isFalse();
  }

  @Test
  void refusesAPasswordThatIsNotAConnectionString() throws Exception {
    assertThat(login("$ConnectionString", KEY)).isFalse();
    assertThat(login("$ConnectionString", "")).isFalse();
  }

  @Test
  void handlesNoOtherCallback() {
    Callback other = new PasswordCallback("password", false);

    assertThatThrownBy(() -> authenticator.handle(new Callback[] {other}))
        .isInstanceOf(UnsupportedCallbackException.class);
  }

  @Test
  void needsTheKeyOptions() {
    AppConfigurationEntry bare =
        new AppConfigurationEntry(
            PlainLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED, Map.of());

    assertThatThrownBy(
            () -> new ConnectionStringAuthenticator().configure(Map.of(), "PLAIN", List.of(bare)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sharedAccessKeyName and sharedAccessKey");
  }

  /**
   * What Kafka's PlainSaslServer does: a NameCallback, then a PlainAuthenticateCallback; a null
   * {@code username} leaves the NameCallback out.
   */
  private boolean login(String username, String password) throws Exception {
    PlainAuthenticateCallback plain = new PlainAuthenticateCallback(password.toCharArray());
    authenticator.handle(
        username == null
            ? new Callback[] {plain}
            : new Callback[] {new NameCallback("username", username), plain});
    return plain.authenticated();
  }
}

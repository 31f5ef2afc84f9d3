package io.tributary.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.generators.Generate;
import io.tributary.pipelines.testing.Broker;
import io.tributary.pipelines.testing.Commands;
import io.tributary.pipelines.testing.Commands.Outcome;
import io.tributary.pipelines.testing.SameTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator and the drain pipeline against the local Event Hubs stand-in: TLS with a generated
 * certificate and SASL PLAIN with user {@code $ConnectionString}, exactly as Azure's Kafka endpoint
 * is reached. Results must equal a drain of the same topic over the broker's plaintext listener,
 * and every misconfiguration a user can make must end quickly with a message that says what to fix.
 */
class EventHubsIT {
  /** The bound on how long a misconfigured run may take to fail. */
  static final long FAIL_FAST_SECONDS = 30;

  @TempDir static Path secrets;
  @TempDir Path work;
  @RegisterExtension static final Broker broker = Broker.eventHubsMode();

  /** Flags that reach the stand-in the way a user reaches Azure: a secret reference and trust. */
  static List<String> eventHubsFlags(String connectionStringRef) {
    return List.of(
        "--eventHubsConnectionString=" + connectionStringRef,
        "--sslTrustStore=" + broker.kafka().trustStore());
  }

  static String goodConnectionString() throws IOException {
    return Files.readString(broker.kafka().connectionStringFile()).strip();
  }

  static String secretFile(String name, String content) throws IOException {
    return "file:" + Files.writeString(secrets.resolve(name), content);
  }

  static List<String> concat(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return all;
  }

  @Test
  void generatorAndDrainOverTlsAndSaslMatchAPlaintextDrain() throws IOException {
    broker.kafka().createTopic("eh-weather", 4);
    String ref = secretFile("namespace-key", goodConnectionString());
    Outcome sent =
        Commands.call(
            Generate::run,
            concat(
                eventHubsFlags(ref),
                "--dataset=weather",
                "--topic=eh-weather",
                "--count=20000",
                "--seed=5",
                "--badRatio=0.01",
                "--duplicateRatio=0.01"));
    assertThat(sent.status()).as(sent.err()).isZero();
    assertThat(sent.json().get("sent").asLong()).isEqualTo(20_000);

    Path overEventHubs = work.resolve("over-event-hubs");
    Outcome secure =
        Commands.call(
            Run::run,
            concat(
                eventHubsFlags(ref),
                "--dataset=weather",
                "--topic=eh-weather",
                "--lakehouse=" + overEventHubs,
                "--drain"));
    assertThat(secure.status()).as(secure.err()).isZero();
    Path overPlaintext = work.resolve("over-plaintext");
    Outcome plain =
        Commands.call(
            Run::run,
            List.of(
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--dataset=weather",
                "--topic=eh-weather",
                "--lakehouse=" + overPlaintext,
                "--drain"));
    assertThat(plain.status()).as(plain.err()).isZero();

    assertThat(secure.json().get("read").asLong()).isEqualTo(20_000);
    assertThat(
            secure.json().get("datasets").get("weather").get("committed.silver.weather").asLong())
        .isEqualTo(sent.json().get("valid").asLong());
    SameTables.assertSameTables(overPlaintext, overEventHubs);
  }

  @Test
  void aWrongKeyFailsFastSayingWhichPartToCheck() throws IOException {
    broker.kafka().createTopic("eh-auth", 2);
    String wrong =
        secretFile(
            "wrong-key",
            goodConnectionString()
                .replaceFirst("SharedAccessKey=[^;]+", "SharedAccessKey=fake-wrong-test-key"));
    String expected =
        "authentication failed for Event Hubs namespace "
            + broker.kafka().eventHubsBootstrapServers()
            + ": check SharedAccessKeyName/SharedAccessKey";

    Outcome run =
        Commands.call(
            Run::run,
            concat(
                eventHubsFlags(wrong),
                "--dataset=weather",
                "--topic=eh-auth",
                "--lakehouse=" + work.resolve("lake"),
                "--drain"));
    assertThat(run.status()).isNotZero();
    assertThat(run.err()).contains(expected);
    assertThat(run.seconds()).isLessThan(FAIL_FAST_SECONDS);

    Outcome generate =
        Commands.call(
            Generate::run,
            concat(eventHubsFlags(wrong), "--dataset=weather", "--topic=eh-auth", "--count=10"));
    assertThat(generate.status()).isNotZero();
    assertThat(generate.err()).contains(expected);
    assertThat(generate.seconds()).isLessThan(FAIL_FAST_SECONDS);
  }

  @Test
  void anUnknownEventHubIsNamed() throws IOException {
    String ref = secretFile("good", goodConnectionString());
    Outcome run =
        Commands.call(
            Run::run,
            concat(
                eventHubsFlags(ref),
                "--dataset=weather",
                "--topic=no-such-hub",
                "--lakehouse=" + work.resolve("lake"),
                "--drain"));
    assertThat(run.status()).isNotZero();
    assertThat(run.err())
        .contains(
            "event hub 'no-such-hub' does not exist in Event Hubs namespace "
                + broker.kafka().eventHubsBootstrapServers());
    assertThat(run.seconds()).isLessThan(FAIL_FAST_SECONDS);

    Outcome generate =
        Commands.call(
            Generate::run,
            concat(eventHubsFlags(ref), "--dataset=weather", "--topic=no-such-hub", "--count=10"));
    assertThat(generate.status()).isNotZero();
    assertThat(generate.err())
        .contains("event hub 'no-such-hub' not found in Event Hubs namespace");
    assertThat(generate.seconds()).isLessThan(FAIL_FAST_SECONDS);
  }

  @Test
  void aMalformedConnectionStringNamesTheMissingPart() throws IOException {
    String key = goodConnectionString().replaceFirst(".*SharedAccessKey=([^;]+).*", "$1");
    String missingKey =
        secretFile(
            "missing-key", goodConnectionString().replaceFirst(";?SharedAccessKey=[^;]+", ""));
    Outcome run =
        Commands.call(
            Run::run,
            concat(
                eventHubsFlags(missingKey),
                "--dataset=weather",
                "--lakehouse=" + work.resolve("lake"),
                "--drain"));
    Outcome generate =
        Commands.call(
            Generate::run, concat(eventHubsFlags(missingKey), "--dataset=weather", "--count=10"));
    for (Outcome outcome : List.of(run, generate)) {
      assertThat(outcome.status()).isNotZero();
      assertThat(outcome.err()).contains("has no SharedAccessKey part").doesNotContain(key);
      assertThat(outcome.seconds()).isLessThan(FAIL_FAST_SECONDS);
    }
  }

  @Test
  void anUntrustedCertificateIsReportedAsSuch() throws IOException {
    String ref = secretFile("good-2", goodConnectionString());
    Outcome run =
        Commands.call(
            Run::run,
            List.of(
                "--eventHubsConnectionString=" + ref,
                "--dataset=weather",
                "--lakehouse=" + work.resolve("lake"),
                "--drain"));
    assertThat(run.status()).isNotZero();
    assertThat(run.err()).contains("TLS handshake").contains("--sslTrustStore=");
    assertThat(run.seconds()).isLessThan(FAIL_FAST_SECONDS);
  }

  @Test
  void aClientSecretFlagHoldingAConnectionStringIsRefused() throws IOException {
    String ref = secretFile("misplaced", goodConnectionString());
    Outcome run =
        Commands.call(
            Run::run,
            List.of(
                "--eventHubsNamespace=" + broker.kafka().eventHubsBootstrapServers(),
                "--eventHubsTenantId=tenant",
                "--eventHubsClientId=app",
                "--eventHubsClientSecret=" + ref,
                "--dataset=weather",
                "--lakehouse=" + work.resolve("lake"),
                "--drain"));
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains("holds an Event Hubs connection string")
        .contains("--eventHubsConnectionString");
  }
}

package io.tributary.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandInTlsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aSecondStartReusesTheCaAndTheServerCertificate() throws IOException {
    StandInTls.TlsFiles first = StandInTls.prepare(dir, "127.0.0.1", NOW);
    byte[] caCert = Files.readAllBytes(first.caCert());
    byte[] keyStore = Files.readAllBytes(first.serverKeyStore());

    StandInTls.TlsFiles second = StandInTls.prepare(dir, "127.0.0.1", NOW.plus(Duration.ofDays(1)));

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(second.caCert())).isEqualTo(caCert);
    assertThat(Files.readAllBytes(second.serverKeyStore())).isEqualTo(keyStore);
  }

  @Test
  void theServerCertificateIsSignedByTheCaAndNamesLocalhostAndTheHost() throws Exception {
    StandInTls.TlsFiles files = StandInTls.prepare(dir, "broker.local", NOW);

    X509Certificate ca = certificates(files.caCert()).get(0);
    List<X509Certificate> chain = certificates(files.serverKeyStore());
    X509Certificate server = chain.get(0);
    server.verify(ca.getPublicKey());
    assertThat(chain).hasSize(2).element(1).isEqualTo(ca);
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(2, "localhost"), List.of(2, "broker.local"), List.of(7, "127.0.0.1"));
    assertThat(server.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(365)));
  }

  @Test
  void anotherHostGetsANewServerCertificateFromTheSameCa() throws Exception {
    StandInTls.TlsFiles first = StandInTls.prepare(dir, "127.0.0.1", NOW);
    byte[] caCert = Files.readAllBytes(first.caCert());
    X509Certificate before = certificates(first.serverKeyStore()).get(0);

    StandInTls.prepare(dir, "10.1.2.3", NOW);

    assertThat(Files.readAllBytes(first.caCert())).isEqualTo(caCert);
    X509Certificate after = certificates(first.serverKeyStore()).get(0);
    assertThat(after).isNotEqualTo(before);
    assertThat(after.getSubjectAlternativeNames()).contains(List.of(7, "10.1.2.3"));
  }

  @Test
  void aCaNearItsEndIsReplacedAtStart() throws IOException {
    StandInTls.TlsFiles first = StandInTls.prepare(dir, "127.0.0.1", NOW);
    byte[] caCert = Files.readAllBytes(first.caCert());

    StandInTls.prepare(
        dir, "127.0.0.1", NOW.plus(StandInTls.CA_VALIDITY).minus(Duration.ofDays(10)));

    assertThat(Files.readAllBytes(first.caCert())).isNotEqualTo(caCert);
  }

  @Test
  void aLostOrDamagedCaKeyMeansANewCaRatherThanABrokerThatCannotStart() throws Exception {
    StandInTls.TlsFiles first = StandInTls.prepare(dir, "127.0.0.1", NOW);
    byte[] caCert = Files.readAllBytes(first.caCert());
    Files.writeString(dir.resolve(StandInTls.CA_KEY), "not a key");

    StandInTls.TlsFiles second = StandInTls.prepare(dir, "127.0.0.1", NOW);

    assertThat(Files.readAllBytes(second.caCert())).isNotEqualTo(caCert);
    certificates(second.serverKeyStore())
        .get(0)
        .verify(certificates(second.caCert()).get(0).getPublicKey());
  }

  @Test
  void keysAreReadableByTheirOwnerOnly() throws IOException {
    StandInTls.prepare(dir, "127.0.0.1", NOW);
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }

    assertThat(permissions(dir.resolve(StandInTls.CA_KEY))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve(StandInTls.SERVER_KEY_STORE))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve(StandInTls.CA_CERT))).startsWith("rw-");
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static List<X509Certificate> certificates(Path pemFile)
      throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    return PemFiles.read(pemFile).stream()
        .filter(block -> block.type().equals("CERTIFICATE"))
        .map(
            block -> {
              try {
                return (X509Certificate)
                    factory.generateCertificate(new ByteArrayInputStream(block.der()));
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }
}

package io.tributary.kafka.broker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in's TLS material, kept in one directory so that restarts reuse it: {@value #CA_CERT}
 * (a local CA certificate, what clients trust), {@value #CA_KEY} (its key) and {@value
 * #SERVER_KEY_STORE} (the broker's PEM key store: server key, server certificate, CA certificate).
 *
 * <p>A CA rather than one self-signed server certificate, so that a new server certificate (another
 * {@code --host}, or one close to expiry) is signed by the same CA and every client's copy of
 * {@value #CA_CERT} stays valid. The server certificate names {@code localhost}, {@code 127.0.0.1}
 * and the broker host, so clients keep TLS hostname verification on. Nothing here is meant for
 * anything but a local machine: the CA key sits next to the certificate it signs.
 */
final class StandInTls {

  static final String CA_CERT = "ca.pem";
  static final String CA_KEY = "ca-key.pem";
  static final String SERVER_KEY_STORE = "server.pem";
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration SERVER_VALIDITY = Duration.ofDays(825);

  /** A certificate closer than this to its end is replaced at start, not in mid-run. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  /** Covers small clock differences between the machine that made it and a client. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private static final String KEY_ALGORITHM = "EC";
  private static final String CURVE = "secp256r1";
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(StandInTls.class);

  private StandInTls() {}

  /** Where a prepared directory keeps what clients and the broker need. */
  record TlsFiles(Path caCert, Path serverKeyStore) {}

  private record Authority(X509Certificate cert, PrivateKey key) {}

  /** Reuses the CA and server certificate in {@code dir}, making whatever is missing or stale. */
  static TlsFiles prepare(Path dir, String host, Instant now) {
    Path caCertFile = dir.resolve(CA_CERT);
    Path caKeyFile = dir.resolve(CA_KEY);
    Path serverFile = dir.resolve(SERVER_KEY_STORE);
    try {
      // The directory keeps default permissions so that ca.pem stays readable; the key files in
      // it are owner-only themselves.
      Files.createDirectories(dir);
      Authority ca = loadAuthority(caCertFile, caKeyFile, now);
      if (ca == null) {
        ca = newAuthority(now);
        PemFiles.writePrivate(caKeyFile, PemFiles.encode("PRIVATE KEY", ca.key().getEncoded()));
        PemFiles.writePublic(caCertFile, PemFiles.encode("CERTIFICATE", ca.cert().getEncoded()));
      }
      SubjectNames names = SubjectNames.of(host);
      if (!isUsableServerKeyStore(serverFile, ca.cert(), names, now)) {
        KeyPair keys = newKeyPair();
        X509Certificate cert = issueServerCertificate(ca, keys.getPublic(), names, now);
        PemFiles.writePrivate(
            serverFile,
            PemFiles.encode("PRIVATE KEY", keys.getPrivate().getEncoded())
                + PemFiles.encode("CERTIFICATE", cert.getEncoded())
                + PemFiles.encode("CERTIFICATE", ca.cert().getEncoded()));
      }
      return new TlsFiles(caCertFile, serverFile);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new StartupException(
          "cannot prepare the Event Hubs stand-in's TLS certificates in "
              + dir
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The CA kept in the directory, or null when there is none or it can no longer be used. */
  private static Authority loadAuthority(Path certFile, Path keyFile, Instant now)
      throws IOException {
    boolean hasCert = Files.exists(certFile);
    boolean hasKey = Files.exists(keyFile);
    if (!hasCert && !hasKey) {
      return null; // first start
    }
    String problem;
    if (!hasCert || !hasKey) {
      problem = (hasCert ? keyFile : certFile) + " is missing";
    } else {
      try {
        X509Certificate cert = onlyCertificate(PemFiles.read(certFile), certFile);
        PrivateKey key = privateKey(PemFiles.read(keyFile), keyFile);
        if (!isKeyOf(key, cert.getPublicKey())) {
          problem = keyFile + " is not the key of " + certFile;
        } else if (expiresSoon(cert, now)) {
          problem = certFile + " expires on " + cert.getNotAfter().toInstant();
        } else {
          return new Authority(cert, key);
        }
      } catch (GeneralSecurityException | IOException e) {
        problem = "cannot read it (" + e.getMessage() + ")";
      }
    }
    // Replacing the CA breaks clients that trust the old ca.pem, but with a clear TLS error; a
    // local broker that refuses to start over its own generated files would help nobody.
    LOG.warn(
        "made a new local CA for the Event Hubs stand-in because {}; clients must trust the new {}",
        problem,
        certFile);
    return null;
  }

  private static boolean isUsableServerKeyStore(
      Path file, X509Certificate caCert, SubjectNames names, Instant now) {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      List<PemFiles.Block> blocks = PemFiles.read(file);
      PrivateKey key = privateKey(blocks, file);
      X509Certificate cert =
          certificate(
              blocks.stream().filter(b -> b.type().equals("CERTIFICATE")).findFirst().orElse(null),
              file);
      cert.verify(caCert.getPublicKey());
      return isKeyOf(key, cert.getPublicKey())
          && !expiresSoon(cert, now)
          && names.coveredBy(cert.getSubjectAlternativeNames());
    } catch (GeneralSecurityException | IOException e) {
      // Not signed by the current CA, unreadable, ...: a new one is made; nothing to keep.
      LOG.debug("replacing {}", file, e);
      return false;
    }
  }

  private static Authority newAuthority(Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair keys = newKeyPair();
    // A name of its own per CA, so two stand-ins' CAs are never mistaken for one another.
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Tributary")
            .addRDN(BCStyle.OU, "local Event Hubs stand-in, not for production")
            .addRDN(
                BCStyle.CN, "Tributary local CA " + HexFormat.of().toHexDigits(RANDOM.nextInt()))
            .build();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                name,
                serialNumber(),
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(CA_VALIDITY)),
                name,
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
    return new Authority(sign(builder, keys.getPrivate()), keys.getPrivate());
  }

  private static X509Certificate issueServerCertificate(
      Authority ca, PublicKey publicKey, SubjectNames names, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                ca.cert(),
                serialNumber(),
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(SERVER_VALIDITY)),
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "localhost").build(),
                publicKey)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(Extension.subjectAlternativeName, false, names.toGeneralNames())
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                extensions.createAuthorityKeyIdentifier(ca.cert()))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(publicKey));
    return sign(builder, ca.key());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(KEY_ALGORITHM);
    generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serialNumber() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static boolean expiresSoon(X509Certificate cert, Instant now) {
    return cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE));
  }

  /** True if {@code key} signs what {@code publicKey} verifies: the two belong together. */
  private static boolean isKeyOf(PrivateKey key, PublicKey publicKey)
      throws GeneralSecurityException {
    byte[] probe = "tributary".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
    verifier.initVerify(publicKey);
    verifier.update(probe);
    return verifier.verify(signature);
  }

  private static X509Certificate onlyCertificate(List<PemFiles.Block> blocks, Path file)
      throws GeneralSecurityException, IOException {
    if (blocks.size() != 1) {
      throw new IOException(file + " should hold exactly one certificate");
    }
    return certificate(blocks.get(0), file);
  }

  private static X509Certificate certificate(PemFiles.Block block, Path file)
      throws GeneralSecurityException, IOException {
    if (block == null || !block.type().equals("CERTIFICATE")) {
      throw new IOException(file + " holds no certificate");
    }
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(block.der()));
  }

  private static PrivateKey privateKey(List<PemFiles.Block> blocks, Path file)
      throws GeneralSecurityException, IOException {
    PemFiles.Block block =
        blocks.stream()
            .filter(b -> b.type().equals("PRIVATE KEY"))
            .findFirst()
            .orElseThrow(() -> new IOException(file + " holds no PRIVATE KEY"));
    return KeyFactory.getInstance(KEY_ALGORITHM)
        .generatePrivate(new PKCS8EncodedKeySpec(block.der()));
  }
}

package dev.intact.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The data service's key and certificate chain, read from PEM files, and the self-signed pair made
 * on first start when none is configured.
 */
public final class ServerCertificate {
  /** The in-memory key store's password: it never leaves the process. */
  public static final String STORE_PASSWORD = "intact";

  private ServerCertificate() {}

  /** Paths of a PEM certificate chain and its private key. */
  public record PemPair(Path cert, Path key) {}

  /**
   * Returns the self-signed pair in {@code dir}, generating it when absent: EC P-256, valid for 10
   * years, for localhost, 127.0.0.1, ::1 and this host's name.
   */
  public static PemPair selfSigned(Path dir) throws IOException {
    PemPair pair = new PemPair(dir.resolve("server-cert.pem"), dir.resolve("server-key.pem"));
    if (Files.exists(pair.cert()) && Files.exists(pair.key())) {
      return pair;
    }
    Files.createDirectories(dir);
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = gen.generateKeyPair();
      X509Certificate cert = certify(keys, hostName());
      Path tmpKey = Files.createTempFile(dir, "key", ".tmp");
      Files.setPosixFilePermissions(tmpKey, PosixFilePermissions.fromString("rw-------"));
      writePem(tmpKey, new JcaPKCS8Generator(keys.getPrivate(), null));
      Path tmpCert = Files.createTempFile(dir, "cert", ".tmp");
      writePem(tmpCert, cert);
      Files.move(tmpKey, pair.key(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpCert, pair.cert(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate a self-signed certificate in " + dir, e);
    }
    return pair;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static X509Certificate certify(KeyPair keys, String host)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    // A unique subject per daemon: two self-signed daemons trusted from one CA file must not be
    // confused for one issuer.
    String unique = java.util.HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    X500Name subject = new X500Name("CN=" + host + ",OU=" + unique + ",O=Intact self-signed");
    Instant now = Instant.now();
    Set<String> dnsNames = new LinkedHashSet<>(List.of("localhost", host));
    List<GeneralName> names = new ArrayList<>();
    for (String dns : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    var builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(128, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(3650))),
            subject,
            keys.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(names.toArray(GeneralName[]::new)));
    // A self-signed leaf is its own trust anchor for --cafile: mark it a CA so PKIX accepts it.
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static void writePem(Path file, Object object) throws IOException {
    try (Writer w = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(object);
    }
  }

  /**
   * A key store holding the key and chain from PEM files (PKCS#8, traditional or EC keys).
   *
   * @throws IOException naming the file that could not be used
   */
  public static KeyStore keyStore(PemPair pair) throws IOException {
    List<Certificate> chain = new ArrayList<>();
    var converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(pair.cert());
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          chain.add(converter.getCertificate(h));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read certificate " + pair.cert() + ": " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IOException("no certificate in " + pair.cert());
    }
    PrivateKey key;
    try (Reader r = Files.newBufferedReader(pair.key());
        PEMParser parser = new PEMParser(r)) {
      Object o = parser.readObject();
      var keyConverter = new JcaPEMKeyConverter();
      key =
          switch (o) {
            case PEMKeyPair kp -> keyConverter.getPrivateKey(kp.getPrivateKeyInfo());
            case PrivateKeyInfo info -> keyConverter.getPrivateKey(info);
            case null, default -> throw new IOException("no private key in " + pair.key());
          };
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "intact", key, STORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "key " + pair.key() + " does not fit certificate " + pair.cert() + ": " + e.getMessage(),
          e);
    }
  }
}

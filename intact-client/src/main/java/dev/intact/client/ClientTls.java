package dev.intact.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client trusts a daemon: the system CAs, a CA file (--cafile), or nothing (--insecure).
 */
public final class ClientTls {
  private ClientTls() {}

  public static SSLContext system() throws GeneralSecurityException {
    return SSLContext.getDefault();
  }

  /**
   * Trusts exactly the certificates in a PEM file, such as the daemon's self-signed one.
   *
   * @throws IOException naming the file when it holds no certificate
   */
  public static SSLContext caFile(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca" + i++, c);
      }
      if (i == 0) {
        throw new IOException("no certificate in CA file " + pem);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use CA file " + pem + ": " + e.getMessage(), e);
    }
  }

  /** Trusts any certificate: the connection is encrypted but the daemon is not authenticated. */
  public static SSLContext insecure() throws GeneralSecurityException {
    // An extended manager: the JDK wraps plain ones in a wrapper that still checks host names.
    TrustManager trustAll =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String a, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String a, Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String a, SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String a, SSLEngine e) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    return ctx;
  }
}

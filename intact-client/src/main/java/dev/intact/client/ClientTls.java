package dev.intact.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.conscrypt.Conscrypt;

/**
 * How the client trusts a daemon: the system CAs, a CA file (--cafile), or nothing (--insecure).
 *
 * <p>The TLS itself is BoringSSL's, through Conscrypt, wherever Conscrypt's native library loads
 * (it ships one for Linux, macOS and Windows on x86-64 and AArch64); elsewhere the JDK's. Why: a
 * verified upload's client encrypts every byte, and the JDK's AES-GCM is fast only once C2 has
 * compiled it, seconds into a transfer; BoringSSL's is fast from the first record (measured in
 * BENCHMARKS.md, "Verified upload: writes past the page cache, BoringSSL's TLS"). Trust stays the
 * JDK's either way: its trust managers check the chain and, with the endpoint identification that
 * {@link TransferHttp} asks for, the host name.
 */
public final class ClientTls {
  private ClientTls() {}

  /** Trusts the JDK's CA certificates ({@code cacerts}), as {@code SSLContext.getDefault()}. */
  public static SSLContext system() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    SSLContext ctx = newContext();
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  /** Whether the TLS of this process is BoringSSL's (Conscrypt loaded), not the JDK's. */
  public static boolean boringSsl() {
    return Native.PROVIDER != null;
  }

  private static SSLContext newContext() throws GeneralSecurityException {
    return Native.PROVIDER != null
        ? SSLContext.getInstance("TLS", Native.PROVIDER)
        : SSLContext.getInstance("TLS");
  }

  /** Conscrypt's provider, or null where its native library does not load: looked up once. */
  private static final class Native {
    static final Provider PROVIDER = load();

    private static Provider load() {
      try {
        return Conscrypt.isAvailable() ? Conscrypt.newProvider() : null;
      } catch (LinkageError e) {
        // No native library for this platform (or its C library): the JDK's TLS, same trust.
        return null;
      }
    }
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
      SSLContext ctx = newContext();
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
    SSLContext ctx = newContext();
    ctx.init(null, new TrustManager[] {trustAll}, new SecureRandom());
    return ctx;
  }
}

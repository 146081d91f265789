package dev.intact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.server.TestDaemon;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's TLS: the daemon's certificate checked, chain and name, unless --insecure. */
class ClientTlsTest {
  @TempDir static Path dir;
  static TestDaemon daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start(dir.resolve("d"));
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  /** Every name resolves to the loopback address the daemon listens on, whatever DNS says. */
  static HttpClient clientResolvingEverythingToLoopback(SSLContext tls) throws Exception {
    return TransferHttp.start(
        tls,
        new SocketAddressResolver() {
          @Override
          public void resolve(
              String host,
              int port,
              Map<String, Object> context,
              Promise<List<InetSocketAddress>> promise) {
            // The address keeps the name asked for: TLS checks the certificate against it.
            byte[] loopback = InetAddress.getLoopbackAddress().getAddress();
            try {
              InetAddress named = InetAddress.getByAddress(host, loopback);
              promise.succeeded(List.of(new InetSocketAddress(named, port)));
            } catch (UnknownHostException e) {
              promise.failed(e);
            }
          }
        });
  }

  /**
   * OPTIONS {@code /images/*} of the daemon, reached as {@code host} through a client trusting what
   * {@code tls} trusts: the status, or the failure that stopped the request.
   */
  static int options(SSLContext tls, String host) throws Exception {
    HttpClient http = clientResolvingEverythingToLoopback(tls);
    try {
      URI uri = URI.create("https://" + host + ":" + daemon.imageUri("x").getPort() + "/images/*");
      ContentResponse r = http.newRequest(uri).method("OPTIONS").send();
      return r.getStatus();
    } finally {
      TransferHttp.stop(http);
    }
  }

  static SSLContext trustingTheDaemon() throws Exception {
    return ClientTls.caFile(daemon.server().certificate());
  }

  @Test
  void aDaemonReachedByANameInItsCertificateAnswers() throws Exception {
    assertThat(options(trustingTheDaemon(), "localhost")).isEqualTo(200);
  }

  @Test
  void aDaemonReachedByANameNotInItsCertificateIsRefused() {
    assertThatThrownBy(() -> options(trustingTheDaemon(), "not-in-the-certificate.invalid"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("not-in-the-certificate.invalid");
  }

  @Test
  void insecureSkipsTheNameAndTheChain() throws Exception {
    assertThat(options(ClientTls.insecure(), "not-in-the-certificate.invalid")).isEqualTo(200);
  }

  @Test
  void aDaemonWhoseCertificateNoTrustedCaSignedIsRefused() {
    assertThatThrownBy(() -> options(ClientTls.system(), "localhost"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SSLHandshakeException.class);
  }
}

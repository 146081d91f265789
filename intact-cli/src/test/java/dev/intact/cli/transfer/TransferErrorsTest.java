package dev.intact.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.AsynchronousCloseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failures a transfer meets, as the HTTP client raises them (messages copied from Jetty 12's),
 * become one line naming the daemon and what to do; no object dump, no ticket.
 */
class TransferErrorsTest {
  private static final List<URI> URLS = List.of(URI.create("https://host:54322/images/SECRET"));

  /** What Jetty says when the daemon dies mid-request: its connection objects' toString. */
  private static final String JETTY_EOF =
      "HttpConnectionOverHTTP@72dca307::SocketChannelEndPoint@774b1d23[{l=/127.0.0.1:48822,"
          + "r=host/127.0.0.1:54322,CLOSED,fill=-,flush=-,to=19/600000}{io=0/0,kio=0,kro=1}]";

  @Test
  void aDaemonThatWentAwayIsNamedWithoutJettyInternals() {
    String line =
        TransferErrors.describe(new IOException("PUT failed", new EOFException(JETTY_EOF)), URLS);
    assertThat(line)
        .isEqualTo(
            "https://host:54322 closed the connection mid-transfer (stopped or restarted?): the"
                + " transfer is incomplete and nothing was verified; run the command again");
    assertThat(TransferErrors.describe(new AsynchronousCloseException(), URLS))
        .startsWith("https://host:54322 closed the connection");
  }

  @Test
  void aCertificateForOtherHostsIsToldApartFromAnUntrustedOne() {
    var otherName =
        new javax.net.ssl.SSLHandshakeException(
            "No subject alternative DNS name matching host found.");
    otherName.initCause(
        new java.security.cert.CertificateException(
            "No subject alternative DNS name matching host found."));
    assertThat(TransferErrors.describe(new IOException("x", otherName), URLS))
        .isEqualTo(
            "the certificate of https://host:54322 does not name host: use a name it holds (for"
                + " 'intact serve': localhost, 127.0.0.1, ::1 or its host name) or, on a network"
                + " you trust, --insecure");
    var untrusted = new javax.net.ssl.SSLHandshakeException("PKIX path building failed");
    untrusted.initCause(new java.security.cert.CertPathBuilderException("unable to find"));
    assertThat(TransferErrors.describe(new IOException("x", untrusted), URLS))
        .startsWith("cannot trust the certificate of https://host:54322: no CA this host trusts");
  }

  @Test
  void aDaemonThatIsNotListeningSaysSo() {
    assertThat(
            TransferErrors.describe(
                new IOException("x", new ConnectException("Connection refused")), URLS))
        .isEqualTo(
            "cannot connect to https://host:54322: Connection refused (is 'intact serve' running"
                + " there, on that port?)");
  }

  @Test
  void anUnreachableNetworkIsNotCalledAClosedConnection() {
    assertThat(
            TransferErrors.describe(
                new IOException("x", new java.net.NoRouteToHostException("No route to host")),
                URLS))
        .startsWith("cannot connect to https://host:54322: No route to host");
  }

  @Test
  void objectDumpsAreCutFromAnyOtherMessage() {
    assertThat(TransferErrors.clean("HTTP protocol violation: bad response on " + JETTY_EOF))
        .isEqualTo("HTTP protocol violation: bad response");
    assertThat(TransferErrors.clean(JETTY_EOF)).isEqualTo("the connection failed");
    assertThat(TransferErrors.clean("plain reason\nsecond line")).isEqualTo("plain reason");
  }

  @Test
  void aMissingImageIsNamed() {
    assertThat(TransferErrors.describe(new java.nio.file.NoSuchFileException("nosuch.raw"), URLS))
        .isEqualTo("nosuch.raw: No such file or directory");
  }
}

package dev.intact.core.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The NBD URI forms of the NBD project's URI spec that Intact accepts. */
class NbdUriTest {

  @Test
  void tcpWithPortAndExport() {
    NbdUri u = NbdUri.parse("nbd://example.org:10810/disk1");
    InetSocketAddress a = (InetSocketAddress) u.address();
    assertThat(a.getHostString()).isEqualTo("example.org");
    assertThat(a.getPort()).isEqualTo(10810);
    assertThat(u.exportName()).isEqualTo("disk1");
  }

  @Test
  void tcpDefaultsToPort10809AndTheDefaultExport() {
    NbdUri u = NbdUri.parse("nbd://localhost");
    assertThat(((InetSocketAddress) u.address()).getPort()).isEqualTo(10809);
    assertThat(u.exportName()).isEmpty();
    assertThat(u.toString()).isEqualTo("nbd://localhost:10809/");
  }

  @Test
  void unixSocketFromTheQuery() {
    NbdUri u = NbdUri.parse("nbd+unix:///vm-disk?socket=/run/a%20b/nbd.sock");
    assertThat(u.address()).isEqualTo(UnixDomainSocketAddress.of(Path.of("/run/a b/nbd.sock")));
    assertThat(u.exportName()).isEqualTo("vm-disk");
    assertThat(NbdUri.parse(u.toString().replace(" ", "%20"))).isEqualTo(u);
  }

  @Test
  void ipv6Host() {
    NbdUri u = NbdUri.parse("nbd://[::1]:10809/x");
    assertThat(((InetSocketAddress) u.address()).getHostString()).isEqualTo("::1");
    assertThat(u.toString()).isEqualTo("nbd://[::1]:10809/x");
  }

  @Test
  void whatIsNotSupportedSaysSo() {
    assertThatThrownBy(() -> NbdUri.parse("nbds://host/disk"))
        .hasMessageContaining("TLS is not supported");
    assertThatThrownBy(() -> NbdUri.parse("nbd+unix:///disk")).hasMessageContaining("?socket=PATH");
    assertThatThrownBy(() -> NbdUri.parse("http://host/disk"))
        .hasMessageContaining("not an NBD URI");
    assertThat(NbdUri.isNbdUri("disk.qcow2")).isFalse();
    assertThat(NbdUri.isNbdUri("nbd+unix:///?socket=/s")).isTrue();
  }

  @Test
  void qemusOlderSyntaxAsOvirtImageioTicketsWriteIt() {
    assertThat(NbdUri.parse("nbd:unix:/run/vdsm/nbd/x.sock"))
        .isEqualTo(NbdUri.unix(java.nio.file.Path.of("/run/vdsm/nbd/x.sock"), ""));
    assertThat(NbdUri.parse("nbd:unix:/run/a:b.sock:exportname=sda"))
        .isEqualTo(NbdUri.unix(java.nio.file.Path.of("/run/a:b.sock"), "sda"));
    assertThat(NbdUri.parse("nbd:example.org:10810:exportname=d"))
        .isEqualTo(NbdUri.tcp("example.org", 10810, "d"));
    assertThat(NbdUri.isNbdUri("nbd:unix:/s")).isTrue();
    assertThatThrownBy(() -> NbdUri.parse("nbd:unix:relative.sock"))
        .hasMessageContaining("absolute socket path");
    assertThatThrownBy(() -> NbdUri.parse("nbd:example.org:http"))
        .hasMessageContaining("no valid port: 'http'");
    assertThatThrownBy(() -> NbdUri.parse("nbd:example.org"))
        .hasMessageContaining("neither nbd:unix:/path nor nbd:HOST:PORT");
  }
}

package dev.intact.core.testing;

import dev.intact.core.nbd.client.NbdImage;
import dev.intact.core.qemu.QemuNbd;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A separate JVM for {@link QemuNbdTest}: starts qemu-nbd for an image, reads through it, says
 * where qemu-nbd is, then waits on stdin for the test to interrupt it with SIGINT.
 */
public final class QemuNbdChild {
  private QemuNbdChild() {}

  public static void main(String[] args) throws IOException {
    QemuNbd q = QemuNbd.serve(Path.of(args[0]), "qcow2");
    NbdImage image = q.openImage();
    byte[] b = new byte[4096];
    image.readFully(0, b, 0, b.length);
    System.out.println("ready " + q.pid() + " " + q.socket());
    System.out.flush();
    System.in.read(); // never returns: the test sends SIGINT
  }
}

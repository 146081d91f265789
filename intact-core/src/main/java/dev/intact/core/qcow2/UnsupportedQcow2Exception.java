package dev.intact.core.qcow2;

import java.io.IOException;

/**
 * A valid qcow2 image that {@link Qcow2Image} does not read itself (a backing file, encryption, an
 * external data file...); the caller reads it through qemu instead. The message says why.
 */
public final class UnsupportedQcow2Exception extends IOException {
  public UnsupportedQcow2Exception(String file, String reason) {
    super(file + ": " + reason);
  }
}

package dev.intact.core.hash;

/** A checksum name that Intact does not know; the message lists the names it does. */
public final class UnknownAlgorithmException extends IllegalArgumentException {
  private final String requested;

  public UnknownAlgorithmException(String requested, String known) {
    super("unknown checksum algorithm '" + requested + "' (known: " + known + ")");
    this.requested = requested;
  }

  public String requested() {
    return requested;
  }
}

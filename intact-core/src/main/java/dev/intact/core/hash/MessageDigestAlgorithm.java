package dev.intact.core.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** An algorithm the JDK provides as a {@link MessageDigest}, using its intrinsics (SHA-NI). */
record MessageDigestAlgorithm(String name, List<String> aliases, String jdkName, int digestLength)
    implements HashAlgorithm {

  /**
   * The digest is looked up on first use, not here: the first lookup starts the JDK's security
   * providers, which a short command by another algorithm (imageio's BLAKE2b) does not need.
   */
  MessageDigestAlgorithm {
    aliases = List.copyOf(aliases);
  }

  private static MessageDigest newDigest(String jdkName) {
    try {
      return MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no " + jdkName + " MessageDigest", e);
    }
  }

  @Override
  public Hasher newHasher() {
    return new DigestHasher(newDigest(jdkName));
  }

  private static final class DigestHasher implements Hasher {
    private final MessageDigest digest;

    DigestHasher(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public Hasher update(byte[] input, int offset, int length) {
      digest.update(input, offset, length);
      return this;
    }

    @Override
    public Hasher update(java.nio.ByteBuffer input) {
      digest.update(input); // no per-call copy buffer for direct buffers
      return this;
    }

    @Override
    public void finishInto(byte[] out, int offset) {
      try {
        digest.digest(out, offset, digest.getDigestLength());
      } catch (java.security.DigestException e) {
        throw new IllegalArgumentException("no room for the digest at offset " + offset, e);
      }
    }

    @Override
    public HashCode finish() {
      return HashCode.of(digest.digest());
    }
  }
}

package dev.intact.core.volume;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import dev.intact.core.hash.Hasher;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes block tags: {@code H(volume UUID || block number (8 bytes, little-endian) || data)}. The
 * UUID and the block number bind the content to its place, so a block written to the wrong address
 * or copied from another volume fails even though its bytes are intact. Thread-safe: each thread
 * keeps its own running state.
 */
public final class Tagger {
  private static final byte[] KEY_CHECK_LABEL =
      "intact volume key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final TagAlgorithm algorithm;
  private final byte[] uuid;
  private final ThreadLocal<State> state;

  /**
   * One thread's running state: its hash, and the prefix array reused for every block instead of
   * one allocated per tag. The UUID half of the prefix is written once, when the state is made:
   * only the block number changes from tag to tag.
   */
  private abstract static class State {
    final byte[] prefix = new byte[24];

    State withUuid(byte[] uuid) {
      System.arraycopy(uuid, 0, prefix, 0, 16);
      return this;
    }

    abstract void tag(ByteBuffer data, byte[] out, int outOffset);
  }

  private Tagger(TagAlgorithm algorithm, byte[] uuid, byte[] key) {
    this.algorithm = algorithm;
    this.uuid = uuid.clone();
    if (algorithm.keyed()) {
      SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
      this.state = ThreadLocal.withInitial(() -> macState(spec).withUuid(this.uuid));
    } else {
      HashAlgorithm h = Algorithms.byName(algorithm.hashName());
      this.state =
          ThreadLocal.withInitial(() -> hasherState(algorithm, h.newHasher()).withUuid(this.uuid));
    }
  }

  /**
   * A tagger for a volume.
   *
   * @param key the secret of a keyed algorithm, ignored (may be null) otherwise
   * @throws IllegalArgumentException when a keyed algorithm has no key, or an empty one
   */
  public static Tagger of(TagAlgorithm algorithm, byte[] uuid, byte[] key) {
    if (uuid.length != 16) {
      throw new IllegalArgumentException("a volume UUID has 16 bytes");
    }
    if (algorithm.keyed() && (key == null || key.length == 0)) {
      throw new IllegalArgumentException(algorithm.tagName() + " tags need a key (--key-file)");
    }
    return new Tagger(algorithm, uuid, key);
  }

  public TagAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Writes the tag of {@code block} holding {@code data[offset, offset+length)} into {@code out}.
   */
  public void tag(long block, byte[] data, int offset, int length, byte[] out, int outOffset) {
    tag(block, ByteBuffer.wrap(data, offset, length), out, outOffset);
  }

  /**
   * Writes the tag of {@code block} holding {@code data}'s remaining bytes into {@code out}. A
   * direct buffer (the NBD server's native reply memory) is hashed where it lies, without a heap
   * copy.
   */
  public void tag(long block, ByteBuffer data, byte[] out, int outOffset) {
    State s = state.get();
    byte[] prefix = s.prefix;
    for (int i = 0; i < 8; i++) {
      prefix[16 + i] = (byte) (block >>> (8 * i));
    }
    s.tag(data, out, outOffset);
  }

  /** The tag of {@code block} as a new array. */
  public byte[] tag(long block, byte[] data, int offset, int length) {
    byte[] out = new byte[algorithm.length()];
    tag(block, data, offset, length, out, 0);
    return out;
  }

  /**
   * A value that shows whether a key is the volume's without revealing it: HMAC(key, label ||
   * UUID), first 16 bytes. Zeros for unkeyed algorithms.
   */
  static byte[] keyCheck(TagAlgorithm algorithm, byte[] uuid, byte[] key) {
    if (!algorithm.keyed()) {
      return new byte[16];
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(KEY_CHECK_LABEL);
      mac.update(uuid);
      return Arrays.copyOf(mac.doFinal(), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * An unkeyed hash. crc32c and sha256 take a direct buffer as it is (CRC32C's intrinsic reads it
   * in place; MessageDigest copies it through one reused 4 KiB array); the others' Hasher would
   * allocate a chunk per call for a direct buffer, so it is copied into this thread's scratch.
   */
  private static State hasherState(TagAlgorithm algorithm, Hasher hasher) {
    boolean takesDirect = algorithm == TagAlgorithm.CRC32C || algorithm == TagAlgorithm.SHA256;
    return new State() {
      private byte[] scratch = new byte[0];

      @Override
      void tag(ByteBuffer data, byte[] out, int outOffset) {
        hasher.update(prefix, 0, prefix.length);
        if (data.hasArray() || takesDirect) {
          hasher.update(data);
        } else {
          int n = data.remaining();
          if (scratch.length < n) {
            scratch = new byte[n];
          }
          data.get(scratch, 0, n);
          hasher.update(scratch, 0, n);
        }
        hasher.finishInto(out, outOffset);
      }
    };
  }

  private static State macState(SecretKeySpec key) {
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
    return new State() {
      @Override
      void tag(ByteBuffer data, byte[] out, int outOffset) {
        mac.update(prefix);
        mac.update(data);
        try {
          mac.doFinal(out, outOffset);
        } catch (ShortBufferException e) {
          throw new IllegalStateException("tag buffer shorter than 32 bytes", e);
        }
      }
    };
  }
}

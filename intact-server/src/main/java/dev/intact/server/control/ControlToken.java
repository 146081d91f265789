package dev.intact.server.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret a client of the control service on loopback TCP must present: any local user can
 * connect to a loopback port, so the connection alone proves nothing. The token lives in a file
 * only the daemon's user can read (mode 0600, created at start if absent); a client that can read
 * it is acting for that user. Clients send it as {@code Authorization: Bearer TOKEN}.
 */
public final class ControlToken {
  /** The token file's name in the daemon's state directory. */
  public static final String FILE_NAME = "control.token";

  public static final String SCHEME = "Bearer ";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final byte[] secret;

  private ControlToken(byte[] secret) {
    this.secret = secret;
  }

  /**
   * Reads the token in {@code file}, creating it with 256 random bits (mode 0600 whatever the
   * umask) when it does not exist.
   *
   * @throws InsecureTokenFileException if the file is a link, not a regular file, or readable or
   *     writable by anyone but its owner: a secret others can read authenticates nobody
   */
  public static ControlToken loadOrCreate(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      // The umask can only take bits away from 0600, but say exactly what the file allows.
      Files.setPosixFilePermissions(file, OWNER_ONLY);
      Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
    } catch (FileAlreadyExistsException e) {
      // An operator's own token, or the one an earlier start made: checked below.
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InsecureTokenFileException(file, "is not a regular file");
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new InsecureTokenFileException(
          file, "has mode " + PosixFilePermissions.toString(perms) + " (it must be rw-------)");
    }
    String text = Files.readString(file).strip();
    if (text.length() < 32) {
      throw new InsecureTokenFileException(file, "holds fewer than 32 characters");
    }
    return new ControlToken(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a token file as a client does: its first line, stripped. */
  public static String read(Path file) throws IOException {
    return Files.readString(file).strip();
  }

  /** Whether an {@code Authorization} header value carries this token (constant time). */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.startsWith(SCHEME)) {
      return false;
    }
    byte[] offered = authorization.substring(SCHEME.length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(secret, offered);
  }
}

package dev.intact.cli.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --key-file}: the secret of {@code hmac-sha256} tags (the file's bytes). */
final class KeyFile {
  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "Secret key of hmac-sha256 tags (the file's bytes, at least 16).")
  Path path;

  /** The key, or null when none was given. */
  byte[] read() throws IOException {
    if (path == null) {
      return null;
    }
    byte[] key = Files.readAllBytes(path);
    if (key.length < 16) {
      throw new IOException(path + ": a key needs at least 16 bytes, this file has " + key.length);
    }
    return key;
  }
}

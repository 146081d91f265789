package dev.intact.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line's arguments as bytes. The JVM decodes {@code argv} with the locale's charset,
 * which loses every file name that charset cannot spell (any non-ASCII byte under {@code LC_ALL=C},
 * bytes that are not UTF-8 under a UTF-8 locale). {@code /proc/self/cmdline} still holds the bytes;
 * the last arguments there are the program's, and they are used only when they decode to exactly
 * what the JVM passed, so nothing else can be mistaken for an argument.
 */
final class RawArguments {
  private RawArguments() {}

  /** {@code args}, each re-decoded from its bytes by {@link FileNames#decode}. */
  static String[] recover(String[] args) {
    if (args.length == 0) {
      return args;
    }
    byte[] cmdline;
    try {
      cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    } catch (IOException | UnsupportedOperationException e) {
      return args; // not Linux, or no /proc: the JVM's decoding is all there is
    }
    List<byte[]> words = split(cmdline);
    if (words.size() < args.length) {
      return args;
    }
    Charset jvm = jvmCharset();
    String[] recovered = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      byte[] word = words.get(words.size() - args.length + i);
      if (!new String(word, jvm).equals(args[i])) {
        return args;
      }
      recovered[i] = FileNames.decode(word);
    }
    return recovered;
  }

  private static List<byte[]> split(byte[] cmdline) {
    List<byte[]> words = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        words.add(java.util.Arrays.copyOfRange(cmdline, start, i));
        start = i + 1;
      }
    }
    return words;
  }

  private static Charset jvmCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }
}

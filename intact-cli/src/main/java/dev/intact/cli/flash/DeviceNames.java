package dev.intact.cli.flash;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A flash destination under {@code /dev} must be a device. A mistyped device name ({@code
 * /dev/sdx}) would otherwise become a new regular file in the RAM-backed {@code /dev}, and the
 * flash would "succeed" onto it while the card stays blank. {@code /dev/shm} holds files by design.
 */
final class DeviceNames {
  private static final Path DEV = Path.of("/dev");
  private static final Path SHM = Path.of("/dev/shm");

  private DeviceNames() {}

  static void refuseNewFileUnderDev(CommandLine cli, Path destination) {
    Path abs = destination.toAbsolutePath().normalize();
    if (!abs.startsWith(DEV) || abs.startsWith(SHM)) {
      return;
    }
    if (!Files.exists(abs)) {
      throw new ParameterException(
          cli,
          destination
              + " does not exist, and a new file is never created under /dev: check the device"
              + " name (lsblk lists them)");
    }
    if (Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)
        || (Files.isRegularFile(abs) && !Files.isSymbolicLink(abs))) {
      throw new ParameterException(
          cli,
          destination
              + " is a regular file, not a device (left by an earlier mistyped name?): remove it"
              + " and check the device name (lsblk lists them)");
    }
  }
}

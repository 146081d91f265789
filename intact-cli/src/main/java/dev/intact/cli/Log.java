package dev.intact.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logger, made on first use: binding SLF4J scans every jar for providers, which a command
 * that logs nothing (the usual case without {@code --debug}) should not pay for.
 */
final class Log {
  private Log() {}

  static Logger get() {
    return Holder.LOG;
  }

  private static final class Holder {
    static final Logger LOG = LoggerFactory.getLogger("intact");
  }
}

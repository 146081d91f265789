package dev.intact.core.flash;

/**
 * Hears how a flash goes, for a progress bar and warnings. {@link #progress} is called from the
 * writing and the read-back threads at once, so it must be thread-safe.
 */
public interface FlashListener {

  /** A phase starts ("writing", "verifying", "rewriting"); {@code totalBytes} is -1 if unknown. */
  default void phase(String name, long totalBytes) {}

  /** {@code bytes} more of the current phase are done. */
  default void progress(long bytes) {}

  /** Something worth saying (which bmap was found, for instance). */
  default void info(String message) {}

  /** Something the user must know that does not stop the flash (printed once). */
  default void warning(String message) {}

  FlashListener NONE = new FlashListener() {};
}

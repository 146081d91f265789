package dev.intact.core.bmap;

/**
 * A bmap file that cannot be trusted: malformed XML, an inconsistent or missing element, a bad
 * checksum. The message is one line naming the file, the line and the element.
 */
public final class BmapFormatException extends Exception {
  private final String file;
  private final String element;
  private final int line;

  public BmapFormatException(String file, String element, int line, String problem) {
    this(file, element, line, problem, null);
  }

  public BmapFormatException(
      String file, String element, int line, String problem, Throwable cause) {
    super(
        file
            + (line > 0 ? ":" + line : "")
            + ": "
            + (element.isEmpty() ? "" : "<" + element + ">: ")
            + problem,
        cause);
    this.file = file;
    this.element = element;
    this.line = line;
  }

  /** The bmap file's name. */
  public String file() {
    return file;
  }

  /** The element at fault, without brackets ({@code ""} for the document itself). */
  public String element() {
    return element;
  }

  /** The 1-based line of the element, or 0 when unknown. */
  public int line() {
    return line;
  }
}

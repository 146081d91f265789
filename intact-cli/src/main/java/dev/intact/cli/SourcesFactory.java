package dev.intact.cli;

import dev.intact.core.format.ImageOpener;
import java.io.InputStream;

/**
 * Opens inputs with a given number of worker threads; {@code -} reads {@code stdin}; {@code image}
 * says how to open image formats and archive members.
 */
@FunctionalInterface
interface SourcesFactory {
  Sources create(int threads, InputStream stdin, ImageOpener.Options image);
}

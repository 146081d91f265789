package dev.intact.cli;

import java.io.InputStream;

/** Opens inputs with a given number of worker threads; {@code -} reads {@code stdin}. */
@FunctionalInterface
interface SourcesFactory {
  Sources create(int threads, InputStream stdin);
}

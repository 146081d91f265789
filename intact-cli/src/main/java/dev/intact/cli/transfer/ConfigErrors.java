package dev.intact.cli.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.intact.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code serve --config FILE} read with a usage error that names the file, the line and the key,
 * and lists the keys there are, instead of the JSON parser's text (its class names and internals).
 */
final class ConfigErrors {
  private ConfigErrors() {}

  static ServerConfig apply(CommandSpec spec, ServerConfig config, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(
          spec.commandLine(),
          "--config "
              + file
              + ": "
              + (Files.exists(file) ? "not a regular file" : "No such file or directory"));
    }
    try {
      return config.withFile(file);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), describe(file, e));
    }
  }

  static String describe(Path file, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnrecognizedPropertyException u) {
        // No line number: Jackson reports where it stopped, after the key's value.
        return "--config "
            + file
            + ": unknown key \""
            + u.getPropertyName()
            + "\" (the keys are "
            + String.join(", ", keys(u.getKnownPropertyIds()))
            + "; see docs/transfer.md)";
      }
      if (t instanceof JsonProcessingException j) {
        return "--config "
            + file
            + line(j)
            + ": "
            + j.getOriginalMessage().lines().findFirst().orElse("");
      }
    }
    return e.getMessage();
  }

  private static String line(JsonProcessingException j) {
    return j.getLocation() == null || j.getLocation().getLineNr() < 1
        ? ""
        : " line " + j.getLocation().getLineNr();
  }

  private static java.util.SortedSet<String> keys(Collection<Object> ids) {
    TreeSet<String> keys = new TreeSet<>();
    if (ids != null) {
      ids.stream().map(Objects::toString).forEach(keys::add);
    }
    return keys;
  }
}

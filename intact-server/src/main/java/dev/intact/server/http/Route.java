package dev.intact.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A resource of the data API: its path and what each HTTP method does there. The methods keep the
 * order they were added in, which is the order a 405's {@code Allow} header lists them.
 */
public record Route(PathTemplate path, SequencedMap<String, Action> methods) {

  /** What one method does; {@code parameters} are the path's {@code {name}} segments. */
  @FunctionalInterface
  public interface Action {
    void run(Exchange ex, Map<String, String> parameters) throws Exception;
  }

  public static Route at(String path) {
    return new Route(PathTemplate.of(path), new LinkedHashMap<>());
  }

  /** This route also answers {@code method}. */
  public Route on(String method, Action action) {
    SequencedMap<String, Action> more = new LinkedHashMap<>(methods);
    more.put(method, action);
    return new Route(path, more);
  }

  /** The methods for an {@code Allow} header: {@code OPTIONS, GET, PUT, PATCH}. */
  public String allow() {
    return String.join(", ", methods.keySet());
  }
}

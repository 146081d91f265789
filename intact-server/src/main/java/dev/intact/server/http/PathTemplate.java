package dev.intact.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path such as {@code /images/{ticket}/checksum-jobs/{job}}: literal segments must be equal, a
 * {@code {name}} segment takes any non-empty segment and is returned by that name.
 */
public final class PathTemplate {
  private static final Pattern PARAMETER = Pattern.compile("\\{([a-z]+)}");

  private final String text;
  private final Pattern pattern;
  private final List<String> names;

  private PathTemplate(String text, Pattern pattern, List<String> names) {
    this.text = text;
    this.pattern = pattern;
    this.names = names;
  }

  public static PathTemplate of(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("a path template starts with '/': " + text);
    }
    StringBuilder regex = new StringBuilder();
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(text);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(text.substring(at, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      at = m.end();
    }
    regex.append(Pattern.quote(text.substring(at)));
    return new PathTemplate(text, Pattern.compile(regex.toString()), List.copyOf(names));
  }

  /** The parameters by name if {@code path} matches, else empty. */
  public Optional<Map<String, String>> match(String path) {
    Matcher m = pattern.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      values.put(names.get(i), m.group(i + 1));
    }
    return Optional.of(Map.copyOf(values));
  }

  @Override
  public String toString() {
    return text;
  }
}

package dev.intact.core.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks the core's layering on purpose: a core class that binds JSON. */
public final class ViolatesCoreWithJson {
  private ViolatesCoreWithJson() {}

  public static String json(Object value) throws Exception {
    return new ObjectMapper().writeValueAsString(value);
  }
}

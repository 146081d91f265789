package dev.intact.server.http.resource;

import dev.intact.core.hash.Algorithms;
import dev.intact.core.hash.HashAlgorithm;
import java.util.List;

/**
 * ovirt-imageio spells BLAKE2b-256 {@code blake2b} (Python's hashlib name with digest_size=32);
 * everything else keeps Intact's name. Accepted and emitted only in the imageio-compatible API.
 */
final class ImageioNames {
  private ImageioNames() {}

  static HashAlgorithm algorithm(String imageioName) {
    return Algorithms.byName(imageioName.equalsIgnoreCase("blake2b") ? "blake2b-256" : imageioName);
  }

  static String name(HashAlgorithm algorithm) {
    return algorithm.name().equals("blake2b-256") ? "blake2b" : algorithm.name();
  }

  static List<String> all() {
    return Algorithms.all().stream().map(ImageioNames::name).toList();
  }
}

package dev.intact.core.nbd.wire;

/**
 * A run of an image's allocation map, as ovirt-imageio's extents and {@code qemu-img map} report
 * it: {@code zero} reads as zeros; {@code hole} is not allocated (so also zero, for a raw file or
 * an image without a backing file).
 */
public record Allocation(long start, long length, boolean zero, boolean hole) {
  public long end() {
    return start + length;
  }
}

package dev.intact.core.volume;

/**
 * What {@link Volume#create} makes.
 *
 * @param journalLength 0 for {@link Geometry#defaultJournal}
 * @param key the secret of a keyed tag algorithm, else null
 * @param spare bytes of spare chunks (rounded up to whole chunks), -1 for {@link
 *     Geometry#defaultSpare}
 * @param chunkSize bytes per chunk ({@link Geometry#CHUNK}); 0 makes a version-3 volume, with no
 *     chunk map (tests of compatibility)
 */
@SuppressWarnings("ArrayRecordComponent") // the key is copied in and out; callers never share it
public record VolumeOptions(
    long size,
    int blockSize,
    TagAlgorithm algorithm,
    long journalLength,
    byte[] key,
    long spare,
    int chunkSize) {
  public VolumeOptions {
    if (algorithm.keyed() && (key == null || key.length == 0)) {
      throw new IllegalArgumentException(algorithm.tagName() + " tags need a key (--key-file)");
    }
    if (spare < -1) {
      throw new IllegalArgumentException("spare size " + spare + " is negative");
    }
    key = key == null ? null : key.clone();
  }

  public static VolumeOptions of(long size) {
    return new VolumeOptions(size, 4096, TagAlgorithm.CRC32C, 0, null, -1, Geometry.CHUNK);
  }

  public VolumeOptions withBlockSize(int blockSize) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key, spare, chunkSize);
  }

  public VolumeOptions withTags(TagAlgorithm algorithm, byte[] key) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key, spare, chunkSize);
  }

  public VolumeOptions withJournal(long journalLength) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key, spare, chunkSize);
  }

  /** Spare space for whole-chunk overwrites, in bytes (rounded up to whole chunks). */
  public VolumeOptions withSpare(long spare) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key, spare, chunkSize);
  }

  /** A chunk size other than 1 MiB (tests: tiny chunks run out of spares often); 0: version 3. */
  VolumeOptions withChunk(int chunkSize) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key, spare, chunkSize);
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  Geometry geometry() {
    long journal = journalLength > 0 ? journalLength : Geometry.defaultJournal(size, blockSize);
    long spareChunks =
        chunkSize == 0
            ? 0
            : spare < 0 ? Geometry.defaultSpare(size, chunkSize) : Math.ceilDiv(spare, chunkSize);
    String problem =
        Geometry.problem(size, blockSize, algorithm.length() + 1, journal, chunkSize, spareChunks);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new Geometry(size, blockSize, algorithm.length() + 1, journal, chunkSize, spareChunks);
  }
}

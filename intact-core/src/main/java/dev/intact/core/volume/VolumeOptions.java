package dev.intact.core.volume;

/**
 * What {@link Volume#create} makes.
 *
 * @param journalLength 0 for {@link Geometry#defaultJournal}
 * @param key the secret of a keyed tag algorithm, else null
 */
@SuppressWarnings("ArrayRecordComponent") // the key is copied in and out; callers never share it
public record VolumeOptions(
    long size, int blockSize, TagAlgorithm algorithm, long journalLength, byte[] key) {
  public VolumeOptions {
    if (algorithm.keyed() && (key == null || key.length == 0)) {
      throw new IllegalArgumentException(algorithm.tagName() + " tags need a key (--key-file)");
    }
    key = key == null ? null : key.clone();
  }

  public static VolumeOptions of(long size) {
    return new VolumeOptions(size, 4096, TagAlgorithm.CRC32C, 0, null);
  }

  public VolumeOptions withBlockSize(int blockSize) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key);
  }

  public VolumeOptions withTags(TagAlgorithm algorithm, byte[] key) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key);
  }

  public VolumeOptions withJournal(long journalLength) {
    return new VolumeOptions(size, blockSize, algorithm, journalLength, key);
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  Geometry geometry() {
    long journal = journalLength > 0 ? journalLength : Geometry.defaultJournal(size, blockSize);
    String problem = Geometry.problem(size, blockSize, algorithm.length() + 1, journal);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new Geometry(size, blockSize, algorithm.length() + 1, journal);
  }
}

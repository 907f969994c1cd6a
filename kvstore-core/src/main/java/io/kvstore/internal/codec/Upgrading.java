package io.kvstore.internal.codec;

/** A codec whose stored values may be at an older schema version, for read repair. */
public interface Upgrading {
  /**
   * Returns the value re-encoded at the current version when it is stored at an older one.
   *
   * @param stored the stored bytes
   * @return the bytes to store instead, or {@code null} when the value needs no migration or
   *     cannot be read (the read reports that)
   */
  byte[] upgraded(byte[] stored);

  /**
   * Tells whether migrated values are written back on read.
   *
   * @return the schema's read-repair setting
   */
  boolean readRepair();
}

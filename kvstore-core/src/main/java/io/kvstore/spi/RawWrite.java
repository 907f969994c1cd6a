package io.kvstore.spi;

import java.util.Objects;

/**
 * One write of a batch.
 *
 * @param key the validated key, without namespace
 * @param value the encoded value
 * @param expiry what expiry to set
 * @param ifAbsent write only if the key does not exist
 */
public record RawWrite(String key, byte[] value, Expiry expiry, boolean ifAbsent) {
  /**
   * Checks the components.
   *
   * @param key the validated key, without namespace
   * @param value the encoded value
   * @param expiry what expiry to set
   * @param ifAbsent write only if the key does not exist
   */
  public RawWrite {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiry, "expiry");
  }
}

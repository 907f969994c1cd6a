package io.kvstore.spi;

import java.util.Objects;

/**
 * One compare-and-set of a batch: replace the value of {@code key} only while it still holds
 * exactly {@code expected}, keeping the key's expiry.
 *
 * @param key the validated key, without namespace
 * @param expected the bytes the key must hold for the swap to apply
 * @param replacement the bytes to store instead
 */
public record RawSwap(String key, byte[] expected, byte[] replacement) {
  /**
   * Checks the components.
   *
   * @param key the validated key, without namespace
   * @param expected the bytes the key must hold for the swap to apply
   * @param replacement the bytes to store instead
   */
  public RawSwap {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(replacement, "replacement");
  }
}

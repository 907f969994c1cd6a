package io.kvstore.spi;

import io.kvstore.KvSwap;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One conditional write of a batch: applied only while {@code key} still holds the value whose
 * SHA-1 is {@code expected} (or, with {@code expected} null, only while the key is absent). It
 * then stores {@code replacement} with {@code expiry}, or deletes the key when
 * {@code replacement} is null. The result per swap is a {@link KvSwap}: {@code APPLIED};
 * {@code CHANGED} (the key holds other bytes, or exists where it was expected absent);
 * {@code MISSING} (a digest was expected and the key is absent or expired).
 *
 * <p>The version is the digest, not the bytes, so that a value written by any client can be
 * checked without storing anything beside it and without sending the old value back; compute
 * it with {@link #digest(byte[])}.
 *
 * @param key the validated key, without namespace
 * @param expected the SHA-1 (40 lower-case hex) the key's bytes must have, or {@code null}: the
 *     key must be absent
 * @param replacement the bytes to store, or {@code null} to delete the key
 * @param expiry the expiry of stored bytes ({@link Expiry#KEEP} keeps the key's); ignored for a
 *     delete
 */
public record RawSwap(String key, @Nullable String expected, byte @Nullable [] replacement,
    Expiry expiry) {
  /**
   * Checks the components.
   *
   * @param key the validated key, without namespace
   * @param expected the SHA-1 the key's bytes must have, or {@code null} for "absent"
   * @param replacement the bytes to store, or {@code null} to delete the key
   * @param expiry the expiry of stored bytes
   * @throws IllegalArgumentException for a delete of a key expected absent
   */
  public RawSwap {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expiry, "expiry");
    if (expected == null && replacement == null) {
      throw new IllegalArgumentException("a delete needs the expected digest");
    }
  }

  /**
   * Returns a swap that replaces the value while it still has the digest {@code expected}.
   *
   * @param key the validated key
   * @param expected the SHA-1 of the bytes the key must hold
   * @param replacement the bytes to store
   * @param expiry the expiry of the stored bytes
   * @return the swap
   */
  public static RawSwap replace(String key, String expected, byte[] replacement, Expiry expiry) {
    return new RawSwap(key, Objects.requireNonNull(expected, "expected"),
        Objects.requireNonNull(replacement, "replacement"), expiry);
  }

  /**
   * Returns a swap that writes the key only while it is absent.
   *
   * @param key the validated key
   * @param value the bytes to store
   * @param expiry the expiry of the stored bytes
   * @return the swap
   */
  public static RawSwap create(String key, byte[] value, Expiry expiry) {
    return new RawSwap(key, null, Objects.requireNonNull(value, "value"), expiry);
  }

  /**
   * Returns a swap that deletes the key while it still has the digest {@code expected}.
   *
   * @param key the validated key
   * @param expected the SHA-1 of the bytes the key must hold
   * @return the swap
   */
  public static RawSwap delete(String key, String expected) {
    return new RawSwap(key, Objects.requireNonNull(expected, "expected"), null, Expiry.NONE);
  }

  /**
   * Returns the SHA-1 of stored bytes as 40 lower-case hex characters, as Redis's
   * {@code redis.sha1hex} gives it: the version every store compares.
   *
   * @param bytes the stored bytes
   * @return the digest
   */
  public static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }

  /**
   * Returns the outcome of this swap against what the key holds now, for stores that compare in
   * Java under their own lock or transaction.
   *
   * @param current the key's live bytes, or {@code null} if absent or expired
   * @return the outcome, {@link KvSwap#APPLIED} if the caller should write
   */
  public KvSwap check(byte @Nullable [] current) {
    if (expected == null) {
      return current == null ? KvSwap.APPLIED : KvSwap.CHANGED;
    }
    if (current == null) {
      return KvSwap.MISSING;
    }
    return expected.equals(digest(current)) ? KvSwap.APPLIED : KvSwap.CHANGED;
  }
}

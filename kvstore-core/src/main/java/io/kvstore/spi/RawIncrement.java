package io.kvstore.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One counter increment ({@link KvBackend#increment}): add {@code delta} to the signed 64-bit
 * integer that {@code key} holds as decimal text (an absent or expired key counts as 0 and is
 * created with {@code expiry}; an existing key keeps its expiry), unless the result would fall
 * outside {@code [min, max]}: then nothing changes and the outcome is
 * {@link RawCount.Status#REFUSED}. Atomic on the store: no write lands between the read and the
 * write.
 *
 * <p>The stored form is the canonical decimal text of the number, as Redis's {@code INCRBY}
 * reads and writes it: an optional {@code -}, no leading zeros, no {@code +}, no spaces, at most
 * 20 bytes. Anything else is {@link RawCount.Status#NOT_A_NUMBER}; a result beyond
 * {@code long} is {@link RawCount.Status#OVERFLOW}; in both cases nothing changes.
 *
 * @param key the validated key, without namespace
 * @param delta what to add, negative to decrement
 * @param min the smallest value the counter may take
 * @param max the largest value the counter may take
 * @param expiry the expiry of a counter this increment creates ({@link Expiry#KEEP} is not
 *     allowed: there is nothing to keep)
 */
public record RawIncrement(String key, long delta, long min, long max, Expiry expiry) {
  /**
   * Checks the components.
   *
   * @param key the validated key
   * @param delta what to add
   * @param min the smallest allowed result
   * @param max the largest allowed result
   * @param expiry the expiry of a created counter
   * @throws IllegalArgumentException if {@code min > max} or the expiry is {@code KEEP}
   */
  public RawIncrement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expiry, "expiry");
    if (min > max) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
    if (expiry instanceof Expiry.Keep) {
      throw new IllegalArgumentException("a created counter has no expiry to keep");
    }
  }

  /**
   * Returns whether the bounds are those of {@code long}, so nothing can be refused.
   *
   * @return {@code true} for an unbounded increment
   */
  public boolean unbounded() {
    return min == Long.MIN_VALUE && max == Long.MAX_VALUE;
  }

  /**
   * Returns the outcome of this increment against what the key holds now, for stores that
   * compute in Java under their own lock or transaction. When it is
   * {@link RawCount.Status#APPLIED}, store {@link RawCount#bytes()}: with {@link #expiry()} if
   * {@code current} was {@code null}, keeping the key's expiry otherwise.
   *
   * @param current the key's live bytes, or {@code null} if absent or expired
   * @return the outcome
   */
  public RawCount apply(byte @Nullable [] current) {
    long before = 0;
    if (current != null) {
      Long parsed = parse(current);
      if (parsed == null) {
        return new RawCount(RawCount.Status.NOT_A_NUMBER, 0);
      }
      before = parsed;
    }
    long after;
    try {
      after = Math.addExact(before, delta);
    } catch (ArithmeticException e) {
      return new RawCount(RawCount.Status.OVERFLOW, before);
    }
    if (after < min || after > max) {
      return new RawCount(RawCount.Status.REFUSED, before);
    }
    return new RawCount(RawCount.Status.APPLIED, after);
  }

  /**
   * Parses stored bytes as a counter: canonical decimal text of a {@code long}, as Redis's
   * {@code INCRBY} accepts it.
   *
   * @param bytes stored bytes
   * @return the number, or {@code null} if the bytes are not one
   */
  public static @Nullable Long parse(byte[] bytes) {
    int n = bytes.length;
    if (n == 0 || n > 20) {
      return null;
    }
    int start = bytes[0] == '-' ? 1 : 0;
    if (start == n || (bytes[start] == '0' && (n > start + 1 || start == 1))) {
      return null;
    }
    for (int i = start; i < n; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

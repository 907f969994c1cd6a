package io.kvstore;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of reading one key in a batch: {@link Found}, {@link Missing} or {@link Failed}.
 * A failed key never fails the rest of its batch.
 *
 * <pre>{@code
 * if (result instanceof KvResult.Found<Workout> f) {
 *   show(f.value());
 * } else if (result instanceof KvResult.Failed<Workout> e) {
 *   log.warn("unreadable workout", e.error());
 * }
 * }</pre>
 *
 * @param <V> the value type
 */
public sealed interface KvResult<V> {
  /**
   * Returns the value if the key was found.
   *
   * @return the value, or empty when missing or failed
   */
  Optional<V> toOptional();

  /**
   * The key exists and its value decoded.
   *
   * @param value the decoded value
   * @param <V> the value type
   */
  record Found<V>(V value) implements KvResult<V> {
    /**
     * Checks the components.
     *
     * @param value the decoded value
     */
    public Found {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public Optional<V> toOptional() {
      return Optional.of(value);
    }

    @Override
    public String toString() {
      return "Found[<" + value.getClass().getSimpleName() + ">]";
    }
  }

  /**
   * The key does not exist (or has expired).
   *
   * @param <V> the value type
   */
  record Missing<V>() implements KvResult<V> {
    @Override
    public Optional<V> toOptional() {
      return Optional.empty();
    }
  }

  /**
   * The key could not be read: its value did not decode, or was too large.
   *
   * @param error why, naming the key only when key logging is on
   * @param <V> the value type
   */
  record Failed<V>(KvException error) implements KvResult<V> {
    /**
     * Checks the components.
     *
     * @param error why, naming the key only when key logging is on
     */
    public Failed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public Optional<V> toOptional() {
      return Optional.empty();
    }
  }
}

package io.kvstore;

/**
 * A value read together with its {@link KvVersion}, from {@link KvNamespace#getVersioned}.
 * Immutable when {@code V} is.
 *
 * @param value the decoded value
 * @param version the version of the bytes it was decoded from
 * @param <V> the value type
 */
public record KvVersioned<V>(V value, KvVersion version) {
  /**
   * Checks the components.
   *
   * @param value the decoded value
   * @param version the version of the bytes it was decoded from
   */
  public KvVersioned {
    java.util.Objects.requireNonNull(value, "value");
    java.util.Objects.requireNonNull(version, "version");
  }
}

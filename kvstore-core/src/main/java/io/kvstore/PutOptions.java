package io.kvstore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call options for {@code put} and {@code putAll}: a TTL that overrides the namespace policy,
 * and whether to write only absent keys. Immutable and thread-safe.
 *
 * <pre>{@code
 * ns.put(key, value, PutOptions.ttl(Duration.ofDays(30)).ifAbsent());
 * ns.put(key, value, PutOptions.keepTtl());
 * }</pre>
 */
public final class PutOptions {
  private static final PutOptions DEFAULTS = new PutOptions(null, false, false);

  private final TtlPolicy ttl;
  private final boolean keepTtl;
  private final boolean ifAbsent;

  private PutOptions(TtlPolicy ttl, boolean keepTtl, boolean ifAbsent) {
    this.ttl = ttl;
    this.keepTtl = keepTtl;
    this.ifAbsent = ifAbsent;
  }

  /**
   * Returns the options that use the namespace's TTL policy and overwrite existing keys.
   *
   * @return the default options
   */
  public static PutOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns options that give written keys a fixed TTL instead of the namespace policy.
   *
   * @param ttl time to live after the write
   * @return the options
   * @throws KvValidationException if {@code ttl} is not a valid TTL
   */
  public static PutOptions ttl(Duration ttl) {
    return new PutOptions(TtlPolicy.fixed(ttl), false, false);
  }

  /**
   * Returns options that apply {@code policy} instead of the namespace policy.
   *
   * @param policy the TTL policy for this write
   * @return the options
   * @throws KvValidationException if {@code policy} is null
   */
  public static PutOptions ttl(TtlPolicy policy) {
    if (policy == null) {
      throw new KvValidationException("ttl", "ttl policy must not be null");
    }
    return new PutOptions(policy, false, false);
  }

  /**
   * Returns options that keep the TTL an existing key already has (a new key gets none).
   *
   * @return the options
   */
  public static PutOptions keepTtl() {
    return new PutOptions(null, true, false);
  }

  /**
   * Returns a copy of these options that writes only keys that do not exist yet.
   *
   * @return the options with if-absent set
   */
  public PutOptions ifAbsent() {
    return new PutOptions(ttl, keepTtl, true);
  }

  /**
   * Returns the TTL policy that overrides the namespace's, if any. Like every option reader, it
   * has its writer's name; a setting whose writer takes no argument ({@link #keepTtl()},
   * {@link #ifAbsent()}) is read as a statement instead: {@link #keepsTtl()},
   * {@link #onlyIfAbsent()}.
   *
   * @return the override, or empty to use the namespace policy (or keep the TTL)
   */
  public Optional<TtlPolicy> ttl() {
    return Optional.ofNullable(ttl);
  }

  /**
   * Tells whether an existing key keeps its TTL.
   *
   * @return {@code true} for {@link #keepTtl()}
   */
  public boolean keepsTtl() {
    return keepTtl;
  }

  /**
   * Tells whether only absent keys are written.
   *
   * @return {@code true} after {@link #ifAbsent()}
   */
  public boolean onlyIfAbsent() {
    return ifAbsent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutOptions p
        && Objects.equals(ttl, p.ttl)
        && keepTtl == p.keepTtl
        && ifAbsent == p.ifAbsent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ttl, keepTtl, ifAbsent);
  }

  @Override
  public String toString() {
    return "PutOptions{ttl=" + (keepTtl ? "keep" : ttl == null ? "namespace" : ttl)
        + ", ifAbsent=" + ifAbsent + "}";
  }
}

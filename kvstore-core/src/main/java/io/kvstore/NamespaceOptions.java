package io.kvstore;

import io.kvstore.internal.Validation;
import io.kvstore.spi.OptionChecks;
import org.jspecify.annotations.Nullable;

/**
 * What a namespace holds and how it writes: its name, codec, default TTL policy, value size
 * limit, and how its values may change shape over time. Immutable and thread-safe; build with {@link #builder(String, Class)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code codec}</td><td>JSON via {@link KvCodec#json(Class)}; strict reads and
 *       schema versions are settings of the JSON codec ({@link JsonOptions})</td></tr>
 *   <tr><td>{@code ttl}</td><td>{@link TtlPolicy#none()}</td></tr>
 *   <tr><td>{@code maxValueBytes}</td><td>{@value #DEFAULT_MAX_VALUE_BYTES} (25 MiB, as
 *       Cloudflare Workers KV)</td></tr>
 *   <tr><td>{@code listing}</td><td>{@link Listing#UNINDEXED}</td></tr>
 *   <tr><td>{@code nearCache}</td><td>none</td></tr>
 *   <tr><td>{@code onDecodeFailure}</td><td>{@link DecodeFailure#FAIL}</td></tr>
 *   <tr><td>{@code coalesceGets}</td><td>the store's setting
 *       ({@link StoreOptions.Builder#coalesceGets(boolean)}, on every store's options),
 *       itself {@value #DEFAULT_COALESCE_GETS} by default</td></tr>
 * </table>
 *
 * <p>A namespace name is 1 to {@value #MAX_NAME_BYTES} UTF-8 bytes without control characters,
 * whitespace, {@code :}, <code>{</code> or <code>}</code>; the store keeps each namespace's keys
 * apart, so two namespaces never see each other's keys.
 *
 * @param <V> the value type
 */
public final class NamespaceOptions<V> {
  /** The largest encoded value accepted by default, in bytes (25 MiB). */
  public static final int DEFAULT_MAX_VALUE_BYTES = 25 * 1024 * 1024;

  /** The longest namespace name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 128;

  /** What {@code get} does with a value that cannot be decoded, by default. */
  public static final DecodeFailure DEFAULT_DECODE_FAILURE = DecodeFailure.FAIL;

  /**
   * Whether concurrent single {@code get}s of a namespace are coalesced into batches, unless
   * the store or the namespace says otherwise: yes. The gets of a namespace issued before the
   * store's next chance to send (on Redis, before its I/O thread runs the batch's send task)
   * leave as one batch, without waiting for a reply or a timer, so a burst costs one round trip
   * and one command on any link, and a lone get costs what it costs without coalescing (figures
   * in {@code kvstore-bench/README.md}). The one default both stores' options and the namespace
   * fall back to; see {@link Builder#coalesceGets(boolean)}.
   */
  public static final boolean DEFAULT_COALESCE_GETS = true;

  private final String name;
  private final KvCodec<V> codec;
  private final TtlPolicy ttl;
  private final int maxValueBytes;
  private final Listing listing;
  private final NearCacheOptions nearCache;
  private final DecodeFailure decodeFailure;
  /** Null: the store's setting. */
  private final Boolean coalesceGets;

  private NamespaceOptions(Builder<V> b) {
    this.name = b.name;
    this.codec = b.codec;
    this.decodeFailure = b.decodeFailure;
    this.ttl = b.ttl;
    this.maxValueBytes = b.maxValueBytes;
    this.listing = b.listing;
    this.nearCache = b.nearCache;
    this.coalesceGets = b.coalesceGets;
  }

  /**
   * Starts a builder for a namespace of JSON values of {@code type}.
   *
   * @param name the namespace name
   * @param type the value class; records work without annotations
   * @param <V> the value type
   * @return a new builder
   * @throws KvValidationException if the name breaks the naming rule or {@code type} is null
   */
  public static <V> Builder<V> builder(String name, Class<V> type) {
    if (type == null) {
      throw new KvValidationException("type", "value type must not be null");
    }
    return new Builder<>(name, KvCodec.json(type));
  }

  /**
   * Starts a builder for a namespace whose values {@code codec} encodes.
   *
   * @param name the namespace name
   * @param codec the codec
   * @param <V> the value type
   * @return a new builder
   * @throws KvValidationException if the name breaks the naming rule or {@code codec} is null
   */
  public static <V> Builder<V> builder(String name, KvCodec<V> codec) {
    if (codec == null) {
      throw new KvValidationException("codec", "codec must not be null");
    }
    return new Builder<>(name, codec);
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder<V> toBuilder() {
    Builder<V> b = new Builder<>(name, codec);
    b.decodeFailure = decodeFailure;
    b.ttl = ttl;
    b.maxValueBytes = maxValueBytes;
    b.listing = listing;
    b.nearCache = nearCache;
    b.coalesceGets = coalesceGets;
    return b;
  }

  /**
   * Returns the namespace name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the codec: the one given, or the built-in JSON codec.
   *
   * @return the codec
   */
  public KvCodec<V> codec() {
    return codec;
  }

  /**
   * Returns the TTL policy applied to writes without their own.
   *
   * @return the policy
   */
  public TtlPolicy ttl() {
    return ttl;
  }

  /**
   * Returns the largest encoded value accepted, in bytes, on write and on read.
   *
   * @return the limit
   */
  public int maxValueBytes() {
    return maxValueBytes;
  }

  /**
   * Returns how the namespace lists keys.
   *
   * @return the listing strategy
   */
  public Listing listing() {
    return listing;
  }

  /**
   * Returns the near cache options.
   *
   * @return the options, or empty when the namespace has no near cache
   */
  public java.util.Optional<NearCacheOptions> nearCache() {
    return java.util.Optional.ofNullable(nearCache);
  }

  /**
   * Returns what {@code get} does with a stored value that cannot be decoded.
   *
   * @return the policy
   */
  public DecodeFailure onDecodeFailure() {
    return decodeFailure;
  }

  /**
   * Returns whether this namespace coalesces concurrent single {@code get}s, when it says so
   * itself; empty when it follows the store's setting.
   *
   * @return the namespace's own setting, or empty
   */
  public java.util.Optional<Boolean> coalesceGets() {
    return java.util.Optional.ofNullable(coalesceGets);
  }

  @Override
  public String toString() {
    return "NamespaceOptions{name=" + name + ", codec=" + codec + ", ttl=" + ttl
        + ", maxValueBytes=" + maxValueBytes + ", listing=" + listing
        + ", nearCache=" + nearCache
        + ", onDecodeFailure=" + decodeFailure
        + (coalesceGets == null ? "" : ", coalesceGets=" + coalesceGets) + "}";
  }

  /**
   * Builds {@link NamespaceOptions}. Not thread-safe.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final String name;
    private KvCodec<V> codec;
    private TtlPolicy ttl = TtlPolicy.none();
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Listing listing = Listing.UNINDEXED;
    private NearCacheOptions nearCache;
    private DecodeFailure decodeFailure = DEFAULT_DECODE_FAILURE;
    private Boolean coalesceGets;

    private Builder(String name, KvCodec<V> codec) {
      this.name = Validation.namespaceName(name);
      this.codec = codec;
    }

    /**
     * Replaces the codec.
     *
     * @param codec the codec
     * @return this builder
     * @throws KvValidationException if {@code codec} is null
     */
    public Builder<V> codec(KvCodec<V> codec) {
      this.codec = OptionChecks.notNull("codec", codec);
      return this;
    }

    /**
     * Sets what {@code get} does with a stored value that cannot be decoded; see
     * {@link DecodeFailure}.
     *
     * @param policy the policy
     * @return this builder
     * @throws KvValidationException if {@code policy} is null
     */
    public Builder<V> onDecodeFailure(DecodeFailure policy) {
      if (policy == null) {
        throw new KvValidationException("onDecodeFailure", "decode failure policy must not be"
            + " null");
      }
      this.decodeFailure = policy;
      return this;
    }

    /**
     * Sets the TTL policy for writes that do not give their own.
     *
     * @param ttl the policy
     * @return this builder
     * @throws KvValidationException if {@code ttl} is null
     */
    public Builder<V> ttl(TtlPolicy ttl) {
      if (ttl == null) {
        throw new KvValidationException("ttl", "ttl policy must not be null");
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Sets the largest encoded value accepted on write and on read.
     *
     * @param maxValueBytes the limit in bytes, at least 1
     * @return this builder
     * @throws KvValidationException if {@code maxValueBytes < 1}
     */
    public Builder<V> maxValueBytes(int maxValueBytes) {
      this.maxValueBytes = (int) OptionChecks.atLeastOne("maxValueBytes", maxValueBytes);
      return this;
    }

    /**
     * Sets how the namespace lists keys: {@link Listing#UNINDEXED} (default) or
     * {@link Listing#INDEXED}.
     *
     * @param listing the strategy
     * @return this builder
     * @throws KvValidationException if {@code listing} is null
     */
    public Builder<V> listing(Listing listing) {
      this.listing = OptionChecks.notNull("listing", listing);
      return this;
    }

    /**
     * Puts a local cache in front of the namespace; see {@link NearCacheOptions}. Not with a
     * {@link TtlPolicy#sliding sliding} TTL: reads answered locally would never reach the store to
     * extend it, and keys in active use would expire.
     *
     * @param nearCache the cache options, or {@code null} for none
     * @return this builder
     */
    public Builder<V> nearCache(@Nullable NearCacheOptions nearCache) {
      this.nearCache = nearCache;
      return this;
    }

    /**
     * Sets whether concurrent single {@code get}s of this namespace are coalesced, overriding
     * the store's setting. When on, the gets issued before the store's next chance to send go
     * out together as one batch (one {@code MGET}; per node in Cluster), never waiting for a
     * reply or a timer: a lone {@code get} leaves as soon as it would without coalescing. Each
     * caller still gets its own key's value or its own key's error. A loop that waits for each
     * {@code get} before issuing the next cannot be coalesced: use {@code getAll}.
     *
     * @param coalesceGets whether to coalesce
     * @return this builder
     */
    public Builder<V> coalesceGets(boolean coalesceGets) {
      this.coalesceGets = coalesceGets;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     * @throws KvValidationException if a near cache is combined with a sliding TTL
     */
    public NamespaceOptions<V> build() {
      if (nearCache != null && ttl.kind() == TtlPolicy.Kind.SLIDING) {
        throw new KvValidationException("nearCache", "namespace '" + name + "': a near cache"
            + " cannot be combined with a sliding TTL; reads served locally would not extend it");
      }
      return new NamespaceOptions<>(this);
    }
  }
}

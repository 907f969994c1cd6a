package io.kvstore;

import io.kvstore.internal.Validation;

/**
 * What a namespace holds and how it writes: its name, codec, default TTL policy and value size
 * limit. Immutable and thread-safe; build with {@link #builder(String, Class)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code codec}</td><td>JSON via {@link KvCodec#json(Class)}</td></tr>
 *   <tr><td>{@code ttl}</td><td>{@link TtlPolicy#none()}</td></tr>
 *   <tr><td>{@code maxValueBytes}</td><td>{@value #DEFAULT_MAX_VALUE_BYTES} (25 MiB, as
 *       Cloudflare Workers KV)</td></tr>
 *   <tr><td>{@code listing}</td><td>{@link Listing#SCAN}</td></tr>
 *   <tr><td>{@code nearCache}</td><td>none</td></tr>
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

  private final String name;
  private final Class<V> type;
  private final KvCodec<V> codec;
  private final TtlPolicy ttl;
  private final int maxValueBytes;
  private final Listing listing;
  private final NearCacheOptions nearCache;

  private NamespaceOptions(Builder<V> b) {
    this.name = b.name;
    this.type = b.type;
    this.codec = b.codec;
    this.ttl = b.ttl;
    this.maxValueBytes = b.maxValueBytes;
    this.listing = b.listing;
    this.nearCache = b.nearCache;
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
    return new Builder<>(name, type, KvCodec.json(type));
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
    return new Builder<>(name, null, codec);
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder<V> toBuilder() {
    Builder<V> b = new Builder<>(name, type, codec);
    b.ttl = ttl;
    b.maxValueBytes = maxValueBytes;
    b.listing = listing;
    b.nearCache = nearCache;
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
   * Returns the codec.
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

  @Override
  public String toString() {
    return "NamespaceOptions{name=" + name + ", codec=" + codec + ", ttl=" + ttl
        + ", maxValueBytes=" + maxValueBytes + ", listing=" + listing
        + ", nearCache=" + nearCache + "}";
  }

  /**
   * Builds {@link NamespaceOptions}. Not thread-safe.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final String name;
    private final Class<V> type;
    private KvCodec<V> codec;
    private TtlPolicy ttl = TtlPolicy.none();
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Listing listing = Listing.SCAN;
    private NearCacheOptions nearCache;

    private Builder(String name, Class<V> type, KvCodec<V> codec) {
      this.name = Validation.namespaceName(name);
      this.type = type;
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
      if (codec == null) {
        throw new KvValidationException("codec", "codec must not be null");
      }
      this.codec = codec;
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
      if (maxValueBytes < 1) {
        throw new KvValidationException(
            "maxValueBytes", "maxValueBytes is " + maxValueBytes + "; it must be >= 1");
      }
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /**
     * Sets how the namespace lists keys: {@link Listing#SCAN} (default) or
     * {@link Listing#INDEXED}.
     *
     * @param listing the strategy
     * @return this builder
     * @throws KvValidationException if {@code listing} is null
     */
    public Builder<V> listing(Listing listing) {
      if (listing == null) {
        throw new KvValidationException("listing", "listing must not be null");
      }
      this.listing = listing;
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
    public Builder<V> nearCache(NearCacheOptions nearCache) {
      this.nearCache = nearCache;
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

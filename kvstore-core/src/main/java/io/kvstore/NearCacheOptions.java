package io.kvstore;

import io.kvstore.spi.OptionChecks;
import java.time.Duration;

/**
 * A bounded local cache in front of a namespace (on Caffeine), so repeated reads cost no round
 * trip. Off unless set with {@link NamespaceOptions.Builder#nearCache(NearCacheOptions)}.
 * Immutable and thread-safe.
 *
 * <ul>
 *   <li>Bounded by entries ({@code maximumSize}) and by the encoded size of the values
 *       ({@code maximumBytes}), whichever is reached first. <b>What the byte bound is not:</b> a
 *       bound on the heap. Entries are weighed by the size of their encoded bytes before any
 *       compression ({@link KvCodec#compressed}); a decoded
 *       value can take many times that (two 25 MB JSON arrays of empty objects held about 1 GB
 *       decoded). Keep namespaces of very large values out of the near cache, or lower
 *       {@code maximumSize}, when the heap is tight.
 *   <li>{@code getAll} answers hits locally and fetches every miss in one batch; concurrent loads
 *       of the same key share one fetch, across {@code get} and {@code getAll}.
 *   <li>An entry lives at most {@code expireAfterWrite}, and never longer than the key's own TTL
 *       in the store.
 *   <li>Writes and deletes through this store invalidate the local entries before their future
 *       completes (read-your-writes), also when they fail: a write that timed out or lost its
 *       connection may still be applied, so the next read goes to the store. On Redis they also
 *       publish the written keys on a channel per
 *       namespace, in the same round trip as the write, and every store with a near cache on that
 *       namespace drops them. If that subscription drops, the whole near cache is cleared.
 *   <li><b>Staleness bound:</b> a value changed by another instance can be served until its
 *       invalidation arrives (usually a few milliseconds after the write returns, tens under
 *       load; pub/sub has no deadline), and never longer than {@code expireAfterWrite} if an
 *       invalidation is lost.
 *   <li>Hits do not extend a sliding TTL in the store; values that fail to decode are never
 *       cached, nor are failed loads.
 *   <li><b>Values are shared.</b> Every read of a cached key returns the same decoded instance,
 *       so readers must not change it. Use immutable value types (records of immutable fields,
 *       strings); a mutable type (a list, a JavaBean) is shared between readers unless your
 *       codec copies it. {@code byte[]} values ({@link KvCodec#bytes()}) are the exception: each
 *       read gets an array of its own, as without a near cache.
 * </ul>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code maximumSize}</td><td>{@value #DEFAULT_MAXIMUM_SIZE} entries</td></tr>
 *   <tr><td>{@code maximumBytes}</td><td>{@value #DEFAULT_MAXIMUM_BYTES} (64 MiB) of encoded
 *   values</td></tr>
 *   <tr><td>{@code expireAfterWrite}</td><td>60 s ({@link #DEFAULT_EXPIRE_AFTER_WRITE})</td>
 *   </tr>
 *   <tr><td>{@code negativeTtl}</td><td>0: missing keys are not cached</td></tr>
 * </table>
 */
public final class NearCacheOptions {
  /** Default bound on cached entries. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  /** Default bound on the encoded size of the cached values: 64 MiB. */
  public static final long DEFAULT_MAXIMUM_BYTES = 64L * 1024 * 1024;

  /** Default longest life of a cached entry. */
  public static final Duration DEFAULT_EXPIRE_AFTER_WRITE = Duration.ofSeconds(60);

  private static final NearCacheOptions DEFAULTS = builder().build();

  private final long maximumSize;
  private final long maximumBytes;
  private final Duration expireAfterWrite;
  private final Duration negativeTtl;

  private NearCacheOptions(Builder b) {
    this.maximumSize = b.maximumSize;
    this.maximumBytes = b.maximumBytes;
    this.expireAfterWrite = b.expireAfterWrite;
    this.negativeTtl = b.negativeTtl;
  }

  /**
   * Returns the default options: {@value #DEFAULT_MAXIMUM_SIZE} entries, 64 MiB, 60 s.
   *
   * @return the defaults
   */
  public static NearCacheOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maximumSize = maximumSize;
    b.maximumBytes = maximumBytes;
    b.expireAfterWrite = expireAfterWrite;
    b.negativeTtl = negativeTtl;
    return b;
  }

  /**
   * Returns the bound on cached entries.
   *
   * @return the maximum number of entries
   */
  public long maximumSize() {
    return maximumSize;
  }

  /**
   * Returns the bound on the encoded size of the cached values.
   *
   * @return the maximum number of bytes
   */
  public long maximumBytes() {
    return maximumBytes;
  }

  /**
   * Returns the longest life of a cached entry.
   *
   * @return the duration
   */
  public Duration expireAfterWrite() {
    return expireAfterWrite;
  }

  /**
   * Returns how long a key known to be missing is remembered.
   *
   * @return the duration, zero when missing keys are not cached
   */
  public Duration negativeTtl() {
    return negativeTtl;
  }

  @Override
  public String toString() {
    return "NearCacheOptions{maximumSize=" + maximumSize + ", maximumBytes=" + maximumBytes
        + ", expireAfterWrite="
        + expireAfterWrite + ", negativeTtl=" + negativeTtl + "}";
  }

  /** Builds {@link NearCacheOptions}. Not thread-safe. */
  public static final class Builder {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private long maximumBytes = DEFAULT_MAXIMUM_BYTES;
    private Duration expireAfterWrite = DEFAULT_EXPIRE_AFTER_WRITE;
    private Duration negativeTtl = Duration.ZERO;

    private Builder() {}

    /**
     * Bounds the number of cached entries; the least valuable are evicted beyond it.
     *
     * @param maximumSize at least 1
     * @return this builder
     * @throws KvValidationException if below 1
     */
    public Builder maximumSize(long maximumSize) {
      this.maximumSize = OptionChecks.atLeastOne("maximumSize", maximumSize);
      return this;
    }

    /**
     * Bounds the cached values by their encoded size (the bytes read from the store), so a few
     * large values cannot fill the heap under an entry bound. Both bounds hold at once: each
     * entry counts as at least {@code maximumBytes / maximumSize} bytes, so a mix of small and
     * large values may be evicted a little before either bound alone is reached. Decoded objects
     * usually take more heap than their encoding (two to four times for JSON records).
     *
     * @param maximumBytes at least 1
     * @return this builder
     * @throws KvValidationException if below 1
     */
    public Builder maximumBytes(long maximumBytes) {
      this.maximumBytes = OptionChecks.atLeastOne("maximumBytes", maximumBytes);
      return this;
    }

    /**
     * Sets the longest life of a cached entry: the staleness bound when an invalidation is lost.
     *
     * @param expireAfterWrite a positive duration
     * @return this builder
     * @throws KvValidationException if null or not positive
     */
    public Builder expireAfterWrite(Duration expireAfterWrite) {
      this.expireAfterWrite = OptionChecks.positive("expireAfterWrite", expireAfterWrite);
      return this;
    }

    /**
     * Remembers keys found missing for a while, so repeated reads of absent keys cost nothing.
     * Keep it short: a key created by another instance stays invisible here until it expires,
     * unless that write's invalidation arrives first.
     *
     * @param negativeTtl zero to disable, else positive and at most {@code expireAfterWrite}
     * @return this builder
     * @throws KvValidationException if null or negative
     */
    public Builder negativeTtl(Duration negativeTtl) {
      this.negativeTtl = OptionChecks.notNegative("negativeTtl", negativeTtl);
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     * @throws KvValidationException if {@code negativeTtl} exceeds {@code expireAfterWrite}
     */
    public NearCacheOptions build() {
      if (negativeTtl.compareTo(expireAfterWrite) > 0) {
        throw new KvValidationException("negativeTtl", "negativeTtl " + negativeTtl
            + " is longer than expireAfterWrite " + expireAfterWrite);
      }
      return new NearCacheOptions(this);
    }
  }
}

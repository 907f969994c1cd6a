package io.kvstore;

import io.kvstore.internal.Cursors;
import io.kvstore.spi.OptionChecks;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every store's options share: the clock, observability, decoding, whether concurrent
 * gets are coalesced, the key that signs listing cursors and a simulated edge network.
 * {@link InMemoryOptions}, {@code RedisKvOptions} and {@code SqliteOptions} extend it, so these
 * settings are written and read the same way on every store, and an adapter's options can extend
 * it too. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code clock}</td><td>{@link Clock#systemUTC()}</td></tr>
 *   <tr><td>{@code observability}</td><td>{@link ObservabilityOptions#defaults()}</td></tr>
 *   <tr><td>{@code decoding}</td><td>{@link DecodeOptions#defaults()}</td></tr>
 *   <tr><td>{@code coalesceGets}</td><td>{@value NamespaceOptions#DEFAULT_COALESCE_GETS}
 *       (on: concurrent single gets of a namespace leave as one batch)</td></tr>
 *   <tr><td>{@code cursorKey}</td><td>none: cursors are checked for integrity, not
 *       authenticated, and work across instances and restarts</td></tr>
 *   <tr><td>{@code simulatedEdge}</td><td>none: calls go to the store at once</td></tr>
 * </table>
 *
 * <p><b>Which level wins.</b> {@code coalesceGets} is the one setting a store and a namespace
 * both have: the store's is the default of its namespaces, and a namespace that sets
 * {@link NamespaceOptions.Builder#coalesceGets(boolean)} overrides it. Every other setting lives
 * on one level.
 */
public abstract class StoreOptions {
  private final Clock clock;
  private final ObservabilityOptions observability;
  private final DecodeOptions decoding;
  private final boolean coalesceGets;
  private final byte[] cursorKey;
  private final @Nullable SimulatedEdge simulatedEdge;

  /**
   * Takes the shared settings from a builder.
   *
   * @param builder the builder of the subclass
   */
  protected StoreOptions(Builder<?, ?> builder) {
    this.clock = builder.clock;
    this.observability = builder.observability;
    this.decoding = builder.decoding;
    this.coalesceGets = builder.coalesceGets;
    this.cursorKey = builder.cursorKey;
    this.simulatedEdge = builder.simulatedEdge;
  }

  /**
   * Returns the clock that TTLs are measured against.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the observability options.
   *
   * @return listeners, tracer, slow-operation thresholds and key redaction
   */
  public ObservabilityOptions observability() {
    return observability;
  }

  /**
   * Returns where values are decoded.
   *
   * @return the executor for large reads and the inline threshold
   */
  public DecodeOptions decoding() {
    return decoding;
  }

  /**
   * Returns whether namespaces coalesce concurrent single {@code get}s unless they say otherwise
   * ({@link NamespaceOptions.Builder#coalesceGets(boolean)}).
   *
   * @return the store's setting
   */
  public boolean coalesceGets() {
    return coalesceGets;
  }

  /**
   * Returns the simulated edge network in front of the store, if any.
   *
   * @return the simulation, or empty
   */
  public Optional<SimulatedEdge> simulatedEdge() {
    return Optional.ofNullable(simulatedEdge);
  }

  /** The secret that signs listing cursors, or {@code null}; kept out of the public API. */
  byte[] cursorKey() {
    return cursorKey == null ? null : cursorKey.clone();
  }

  /**
   * Sets what every store's options share; each store's builder extends it. Not thread-safe.
   *
   * @param <O> the options it builds
   * @param <B> the builder itself, returned by every setter
   */
  public abstract static class Builder<O extends StoreOptions, B extends Builder<O, B>> {
    private Clock clock = Clock.systemUTC();
    private ObservabilityOptions observability = ObservabilityOptions.defaults();
    private DecodeOptions decoding = DecodeOptions.defaults();
    private boolean coalesceGets = NamespaceOptions.DEFAULT_COALESCE_GETS;
    private byte[] cursorKey;
    private @Nullable SimulatedEdge simulatedEdge;

    /** Starts with the defaults. */
    protected Builder() {}

    /**
     * Starts with the shared settings of existing options, for {@code toBuilder()}.
     *
     * @param from the options to copy
     */
    protected Builder(StoreOptions from) {
      this.clock = from.clock;
      this.observability = from.observability;
      this.decoding = from.decoding;
      this.coalesceGets = from.coalesceGets;
      this.cursorKey = from.cursorKey;
      this.simulatedEdge = from.simulatedEdge;
    }

    /**
     * Sets the clock that TTLs are measured against, so tests can expire keys without sleeping.
     *
     * @param clock the clock
     * @return this builder
     * @throws KvValidationException if {@code clock} is null
     */
    public B clock(Clock clock) {
      this.clock = OptionChecks.notNull("clock", clock);
      return self();
    }

    /**
     * Sets listeners, tracer, slow-operation thresholds and key redaction.
     *
     * @param observability the options
     * @return this builder
     * @throws KvValidationException if {@code observability} is null
     */
    public B observability(ObservabilityOptions observability) {
      this.observability = OptionChecks.notNull("observability", observability);
      return self();
    }

    /**
     * Sets where values are decoded: the executor for large reads and the inline threshold.
     *
     * @param decoding the options
     * @return this builder
     * @throws KvValidationException if {@code decoding} is null
     */
    public B decoding(DecodeOptions decoding) {
      this.decoding = OptionChecks.notNull("decoding", decoding);
      return self();
    }

    /**
     * Sets whether namespaces coalesce concurrent single {@code get}s: the gets of a namespace
     * issued before the store's next chance to send go out together as one batch (one
     * {@code MGET} on Redis, per node in Cluster, sent from the connection's I/O thread; one
     * request on the embedded store, where gets waiting for a slot of a {@link SimulatedEdge}
     * join it too), without waiting for a reply or a timer. A namespace's own
     * {@link NamespaceOptions.Builder#coalesceGets(boolean)} wins over this.
     *
     * @param coalesceGets whether to coalesce, {@value NamespaceOptions#DEFAULT_COALESCE_GETS}
     *     by default
     * @return this builder
     */
    public B coalesceGets(boolean coalesceGets) {
      this.coalesceGets = coalesceGets;
      return self();
    }

    /**
     * Sets the secret key that signs listing cursors (HMAC-SHA256), so that nobody without it can
     * make a cursor this store accepts. Give every instance of a service the same key (from its
     * secret store, not from source code): a cursor issued by one instance is then accepted by
     * all of them, as when the next page of a listing reaches another instance behind a load
     * balancer. Changing the key invalidates the cursors issued under the old one; their holders
     * get a {@link KvValidationException} and start the listing again.
     *
     * <p>Without a key (the default), cursors are still checked for integrity (a cursor of
     * another namespace or prefix, or a damaged one, is refused) but anyone can make one. That is
     * safe: whatever a cursor holds, a listing never reads, returns or touches a key outside its
     * namespace and prefix, and never asks the store for more work than its own settings allow;
     * at worst a made-up cursor skips or repeats keys the caller could list anyway.
     *
     * @param secretKey at least 16 bytes, 32 random bytes recommended; the array is copied
     * @return this builder
     * @throws KvValidationException if {@code secretKey} is null or shorter than 16 bytes
     */
    public B cursorKey(byte[] secretKey) {
      OptionChecks.notNull("cursorKey", secretKey);
      if (secretKey.length < Cursors.MIN_KEY_BYTES) {
        throw new KvValidationException("cursorKey", "cursorKey is " + secretKey.length
            + " bytes; it must be at least " + Cursors.MIN_KEY_BYTES + " (32 random bytes"
            + " recommended)");
      }
      this.cursorKey = secretKey.clone();
      return self();
    }

    /**
     * Puts a simulated edge network in front of the store: a delay per call (once per batch,
     * never per key) and a cap on calls in flight. For demos, and for tests that should feel
     * what a loop of sequential gets costs; see {@link SimulatedEdge}.
     *
     * @param simulatedEdge the simulation, or {@code null} for none
     * @return this builder
     */
    public B simulatedEdge(@Nullable SimulatedEdge simulatedEdge) {
      this.simulatedEdge = simulatedEdge;
      return self();
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public abstract O build();

    /**
     * Returns this builder as its own type, for chained setters.
     *
     * @return this
     */
    protected abstract B self();
  }
}

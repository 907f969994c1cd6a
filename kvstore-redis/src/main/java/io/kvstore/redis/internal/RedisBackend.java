package io.kvstore.redis.internal;

import io.kvstore.KvSwap;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.invalidation.InvalidationPublisher;
import io.kvstore.redis.internal.invalidation.RedisInvalidationBus;
import io.kvstore.redis.internal.invalidation.ServerTracking;
import io.kvstore.redis.internal.listing.IndexedListing;
import io.kvstore.redis.internal.listing.ListingStrategy;
import io.kvstore.redis.internal.listing.ScanListing;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.read.Reads;
import io.kvstore.redis.internal.transport.Errors;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.InvalidationBus;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawIncrement;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Redis backend: each kvstore batch becomes a set of commands written together, one round
 * trip. This class only wires the parts, one package per way the adapter varies:
 *
 * <ul>
 *   <li>{@code transport}: how commands reach Redis, one server or the masters of a Cluster
 *       (the topology, chosen once per store by {@link RedisConnector}), the bulk connection,
 *       Lua scripts by {@code EVALSHA}, and the translation of Lettuce's failures;
 *   <li>{@code read}: {@code get}/{@code getAll}, the same for every namespace ({@link Reads});
 *   <li>{@code listing}: what varies with a namespace's {@link io.kvstore.Listing}: writes,
 *       deletes, listing and {@code reindex} ({@link ScanListing}, {@link IndexedListing});
 *   <li>{@code invalidation}: the near-cache invalidations, published after writes and received
 *       over pub/sub;
 *   <li>{@code protocol}: what the others share to talk to Redis: the key layout
 *       ({@link RedisKeys}).
 * </ul>
 *
 * <p>What stays here is what every call shares: each one is guarded (failures translated once,
 * tracked so {@link #close()} can fail it).
 */
final class RedisBackend implements KvBackend {
  private final Transport transport;
  private final RedisKvOptions options;
  private final RedisInvalidationBus invalidations;
  private final InvalidationPublisher publisher;
  private final Reads reads;
  private final ListingStrategy scan;
  private final ListingStrategy indexed;
  private final Set<InFlight<?>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Creates a backend over an open connection.
   *
   * @param transport the connection to one server or a cluster
   * @param options tuning
   */
  RedisBackend(Transport transport, RedisKvOptions options) {
    this.transport = transport;
    this.options = options;
    this.invalidations = new RedisInvalidationBus(transport::connectPubSub, options.timeout(),
        options.serverTracking() ? sink -> new ServerTracking(
            node -> transport.connectTracking(node, ServerTracking.CLIENT_NAME),
            transport::trackingNodes, options.timeout(), sink) : null);
    transport.addConnectionListener(invalidations.connectionListener());
    this.publisher = new InvalidationPublisher(transport, invalidations);
    this.reads = new Reads(transport, options);
    this.scan = new ScanListing(transport, options, publisher, reads);
    this.indexed = new IndexedListing(transport, options, publisher);
  }

  /**
   * The strategy of the namespace's listing: the one place that asks. Both strategies are built
   * once per store; the SPI names the namespace on every call, so the choice is this field read.
   */
  private ListingStrategy listing(BackendNamespace ns) {
    return ns.listing().indexed() ? indexed : scan;
  }

  @Override
  public Optional<InvalidationBus> invalidations() {
    return Optional.of(invalidations);
  }

  @Override
  public Clock clock() {
    return options.clock();
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return guard(call, () -> reads.read(call, request.keys().stream()
        .map(key -> RedisKeys.value(ns, key)).toList(), request.slide(),
        request.withExpiration()));
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return guard(call, () -> listing(ns).write(call, ns, writes));
  }

  /** A Lua compare-and-set per key, all in one round trip: see {@link CompareAndSet}. */
  @Override
  public CompletableFuture<List<KvSwap>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return guard(call, () -> CompareAndSet.run(transport, publisher, call, ns, swaps));
  }

  /** One Lua script (INCRBY, bounds, expiry on creation), one round trip: {@link Increment}. */
  @Override
  public CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    return guard(call, () -> Increment.run(transport, publisher, call, ns, increment));
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    return guard(call, () -> listing(ns).delete(call, ns, keys));
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return guard(call, () -> listing(ns).list(call, ns, request));
  }

  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return guard(call, () -> listing(ns).listValues(call, ns, request));
  }

  /**
   * Moves a namespace written under SCAN into the indexed layout and indexes every key it holds;
   * see {@link IndexedListing}.
   *
   * @throws KvValidationException if the namespace does not list by index
   */
  @Override
  public CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    return guard(call, () -> listing(ns).reindex(call, ns));
  }

  @Override
  public Executor requestSender() {
    return transport.requestSender();
  }

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return guard(call, () -> {
      call.recordRoundTrip(1);
      return transport.ping().thenApply(pong -> null);
    });
  }

  /** OpenTelemetry's well-known name for Redis, single node and Cluster alike. */
  @Override
  public String systemName() {
    return "redis";
  }

  /**
   * Fails every call still in flight before closing the connections. A command written just
   * before the connection closes may never be answered, and one issued just after fails inside
   * Lettuce with whatever its closed parts throw; either way its caller would wait forever or get
   * a failure that does not say "unavailable". Failing them here first gives every caller the
   * documented {@code KvUnavailableException}, with the write's outcome stated as unknown.
   */
  @Override
  public void close() {
    closed = true;
    for (InFlight<?> call : inFlight) {
      call.failClosed();
    }
    invalidations.close();
    transport.close();
  }

  @Override
  public String toString() {
    return transport.toString();
  }

  /**
   * Runs a backend step and translates every failure, thrown or completed, exactly once. The call
   * is tracked until it completes, so {@link #close()} can fail it rather than leave it waiting.
   */
  private <T> CompletableFuture<T> guard(BackendCall call, Supplier<CompletableFuture<T>> work) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError(call));
    }
    InFlight<T> result = new InFlight<>(call);
    inFlight.add(result);
    result.whenComplete((value, error) -> inFlight.remove(result));
    if (closed) {
      // close() ran between the check and the add, and may have missed this call.
      result.failClosed();
      return result;
    }
    CompletableFuture<T> started;
    try {
      started = work.get();
    } catch (KvValidationException e) {
      inFlight.remove(result);
      throw e;
    } catch (RuntimeException e) {
      result.completeExceptionally(closed ? closedError(call)
          : Errors.translate(e, call, options.timeout()));
      return result;
    }
    started.whenComplete((value, error) -> {
      if (error != null) {
        // A failure that comes from the store being closed under the call (Lettuce's closed
        // provider or timer) says so, whatever Lettuce threw.
        result.completeExceptionally(closed ? closedError(call)
            : Errors.translate(error, call, options.timeout()));
      } else {
        result.complete(value);
      }
    });
    return result;
  }

  private static KvUnavailableException closedError(BackendCall call) {
    return new KvUnavailableException(call.describe() + ": the store was closed"
        + (Errors.isWrite(call.operation()) ? "; a write in flight may or may not have been applied"
            : ""), null);
  }

  /** A call's result, which {@link #close()} can fail while the call is still in flight. */
  private static final class InFlight<T> extends CompletableFuture<T> {
    private final BackendCall call;

    InFlight(BackendCall call) {
      this.call = call;
    }

    void failClosed() {
      completeExceptionally(closedError(call));
    }
  }

}

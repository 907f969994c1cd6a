package io.kvstore.redis.internal.invalidation;

import io.kvstore.KvOperation;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Failures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where invalidations are published: the {@code PUBLISH} that tells other instances which keys a
 * batch of a near-cached namespace wrote, on the {@link RedisInvalidationBus} channel of the
 * namespace. Whether it can ride in the write's own batch or must wait for the write is the
 * topology's to say ({@link Transport#ordersBatch}), decided once per store.
 *
 * <p>Every write publishes, whether or not the writer's own view of the namespace has a near
 * cache: a batch job or an admin tool without one must not leave other instances serving old
 * values until their entries expire. Whether the caller waits for the PUBLISH is the rule below;
 * a PUBLISH nobody waits for costs the writer's caller no round trip (it is not counted in
 * {@code stats().roundTrips()} nor by {@code KvRoundTrips}, which count the round trips callers
 * wait for), readers hear of it one round trip after the write, and when the server refuses it
 * (an ACL user without pub/sub channels: {@code NOPERM}) it never fails a write; it is logged
 * once per store, since other instances' near caches on pub/sub then stay stale until their
 * entries expire.
 *
 * <p><b>Who waits for the PUBLISH.</b>
 *
 * <ul>
 *   <li>One server, unindexed: the PUBLISH rides in the write's own batch, which Redis runs in
 *       order; the caller waits for it at no cost (1 round trip).
 *   <li>A Cluster or an indexed namespace, the writer near-caches the namespace and its store
 *       tracks ({@link RedisInvalidationBus#tracksServer()}): the caller waits for the write
 *       alone (1 round trip), the PUBLISH follows it, not waited for. Instances that track were
 *       told by the server itself, which queues a write's broadcast invalidations before the
 *       writer's reply; instances on pub/sub alone (tracking off, a server without it) hear one
 *       round trip later, as from a writer without a near cache. Whether every other instance
 *       tracks cannot be known here, so the message is never skipped.
 *   <li>The same with a store on pub/sub alone: the caller waits for the PUBLISH too (2 round
 *       trips), so it returns once every reader has been told, its own kind of instance included.
 *   <li>A writer without a near cache on the namespace: never waits (1 round trip).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class InvalidationPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidationPublisher.class);

  private final Transport transport;
  private final RedisInvalidationBus bus;
  /** Whether a refused PUBLISH was logged: once per store is enough to act on. */
  private final AtomicBoolean warned = new AtomicBoolean();
  /** Whether a PUBLISH appended to a batch runs after its writes (one server). */
  private final boolean pipelined;

  /**
   * A publisher on a store's connection.
   *
   * @param transport the store's connection
   * @param bus the store's bus, told of the messages of failed writes
   */
  public InvalidationPublisher(Transport transport, RedisInvalidationBus bus) {
    this.transport = transport;
    this.bus = bus;
    this.pipelined = transport.ordersBatch();
  }

  /**
   * Dispatches a batch of plain commands through {@code write} and publishes the keys: in the
   * batch itself where the transport runs it in order (see {@link #publishWith}), else once the
   * write is applied ({@link #publishAfter}).
   *
   * @param <T> the write's result
   * @param call the call
   * @param ns the namespace
   * @param keys the keys written, without namespace
   * @param batch the write's commands; the PUBLISH may be appended
   * @param write dispatches the batch
   * @return the write's result
   */
  public <T> CompletableFuture<T> publish(BackendCall call, BackendNamespace ns,
      Collection<String> keys, List<Routed<?>> batch,
      Function<List<Routed<?>>, CompletableFuture<T>> write) {
    return pipelined && ns.invalidates() ? publishWith(ns, keys, batch, write)
        : publishAfter(call, ns, keys, write.apply(batch));
  }

  /**
   * On a single server, adds the PUBLISH to the batch's dispatch, so it costs no extra round
   * trip, and on the one connection Redis runs it after the writes, so no reader can be told
   * before the new value is there. If the write fails (a timeout: it may still be applied), this
   * instance will act on its own message too: the PUBLISH runs after the write whenever Redis
   * gets to it, and then drops whatever this instance cached meanwhile.
   */
  private <T> CompletableFuture<T> publishWith(BackendNamespace ns, Collection<String> keys,
      List<Routed<?>> batch, Function<List<Routed<?>>, CompletableFuture<T>> write) {
    if (keys.isEmpty()) {
      return write.apply(batch);
    }
    RedisInvalidationBus.Message message = bus.message(keys);
    batch.add(command(ns, message, RedisInvalidationBus.CHANNEL_PREFIX + ns.name()));
    return write.apply(batch).whenComplete((result, error) -> {
      if (error != null) {
        bus.deliverToSelf(message);
      }
    });
  }

  /**
   * Publishes the invalidation once the write has been applied: in Cluster the writes and the
   * PUBLISH may reach different nodes, and the scripts of indexed namespaces run on their own,
   * so only sending it after the write keeps another instance from reloading the old value after
   * hearing of the new one. The caller waits for it only where the writer near-caches the
   * namespace and its store does not track (see the class comment): one more round trip there,
   * none elsewhere.
   *
   * <p>If the write fails, it may still be applied later (a timeout), so the invalidation is
   * published anyway, without waiting, on the connection of each node the write went to (one
   * PUBLISH per node, routed by a written key): there Redis runs it after the write, whenever it
   * gets to it. This instance acts on that message too.
   *
   * @param <T> the write's result
   * @param call the call
   * @param ns the namespace
   * @param keys the keys written, without namespace
   * @param write the write, already sent
   * @return the write's result, once the invalidation is published
   */
  public <T> CompletableFuture<T> publishAfter(BackendCall call, BackendNamespace ns,
      Collection<String> keys, CompletableFuture<T> write) {
    if (keys.isEmpty()) {
      return write;
    }
    RedisInvalidationBus.Message message = bus.message(keys);
    return write.handle((result, error) -> {
      if (error == null) {
        List<Routed<?>> publish = List.of(command(ns, message,
            RedisInvalidationBus.CHANNEL_PREFIX + ns.name()));
        if (ns.invalidates() && !bus.tracksServer()) {
          return transport.dispatch(call, publish).thenApply(done -> result);
        }
        transport.dispatch(new Detached(call), publish).whenComplete((done, refused) -> {
          if (refused != null && !warned.getAndSet(true)) {
            String reason = String.valueOf(Failures.cause(refused).getMessage());
            // The ACL hint only where it is the cause: a lost connection needs no grant.
            LOG.warn("near-cache invalidations of namespace '{}' could not be published ({});"
                + " other instances' near caches on pub/sub serve old values until they"
                + " expire{}", ns.name(), reason, reason.contains("NOPERM")
                ? ". Give the Redis user the channels " + RedisInvalidationBus.CHANNEL_PREFIX
                    + "* to publish" : "");
          }
        });
        return CompletableFuture.completedFuture(result);
      }
      bus.deliverToSelf(message);
      Map<String, String> byNode = new LinkedHashMap<>();
      for (String key : keys) {
        String routing = RedisKeys.value(ns, key);
        byNode.putIfAbsent(transport.nodeOf(routing), routing);
      }
      List<Routed<?>> late = new ArrayList<>(byNode.size());
      byNode.values().forEach(routing -> late.add(command(ns, message, routing)));
      transport.dispatch(call, late);
      return CompletableFuture.<T>failedFuture(error);
    }).thenCompose(Function.identity());
  }

  /** A call whose PUBLISH the caller does not wait for: its round trip is not the caller's. */
  private record Detached(BackendCall call) implements BackendCall {
    @Override
    public String namespace() {
      return call.namespace();
    }

    @Override
    public KvOperation operation() {
      return call.operation();
    }

    @Override
    public void recordRoundTrip(int nodes) {}

    @Override
    public String describe() {
      return call.describe();
    }
  }

  private static Routed<Long> command(BackendNamespace ns, RedisInvalidationBus.Message message,
      String routingKey) {
    String channel = RedisInvalidationBus.CHANNEL_PREFIX + ns.name();
    return Commands.publish(routingKey, channel, message.payload());
  }
}

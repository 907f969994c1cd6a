package io.kvstore.redis.internal.invalidation;

import io.kvstore.KvTimeoutException;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.transport.Errors;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Near-cache invalidations from the server itself: Redis 6+ server-assisted client-side caching
 * ({@code CLIENT TRACKING ON BCAST PREFIX ...}), so every writer is seen, not only kvstore's:
 * another service on a plain client, {@code redis-cli}, expiries, evictions, {@code FLUSHALL}.
 *
 * <p><b>One dedicated RESP3 connection per node, tracking itself in broadcast mode.</b> In
 * broadcast mode the tracked connection need read nothing: Redis pushes an {@code invalidate}
 * message for every key starting with one of its prefixes that any client modifies. The
 * alternative, {@code REDIRECT} to the pub/sub connection, would put tracking on the main
 * connection (turned off silently whenever it reconnects, with a client id that changes at every
 * reconnect of either side), and Lettuce's pub/sub connection speaks RESP3 on Redis 6+, on which
 * Redis sends a redirected invalidation as a push, not as a {@code __redis__:invalidate}
 * message. A connection of its own is opened with RESP3 ({@code HELLO 3}), leaves the main
 * connections' protocol alone, and is named {@code kvstore-tracking} ({@code CLIENT LIST}).
 *
 * <p><b>No {@code NOLOOP}.</b> It would only silence writes made on the tracking connection,
 * which makes none; the writer's own writes come back to its tracking connection as one push per
 * write. That costs the writer no round trip (its caller does not wait for it), drops keys it
 * dropped already, and it is what tells the writer of its own timed-out write applied later.
 *
 * <p><b>Prefixes.</b> Per near-cached namespace {@code ns}, the value-key prefixes of its three
 * layouts ({@link RedisKeys#trackingPrefixes}): {@code ns:}, <code>{ns}:</code> and
 * <code>{ns:</code>. The subscription names the namespace only, not its listing, so all three are
 * tracked; they never overlap one another nor another namespace's (a name holds no {@code :},
 * <code>{</code> or <code>}</code>), which Redis requires of one client's prefixes. The index and
 * sweep keys of {@code INDEXED} (<code>{ns}/index</code>) match none; those of partitioned
 * namespaces (<code>{ns:p}/index</code>) match <code>{ns:</code> and cost a push that is
 * recognised as no value key and ignored ({@link RedisKeys#ownerOf}).
 *
 * <p><b>Nothing is kept while nothing listens.</b> Tracking is a property of a connection: when
 * the connection drops, every near cache is cleared and paused (reads go to the store and keep
 * nothing, since no one would tell of a change), the connection is opened again (Lettuce's
 * auto-reconnect is off for it, since a reconnected connection would come back without
 * tracking) and, once Redis has acknowledged tracking on it and on every other node, the caches
 * resume, empty. A new master counts as down until it is tracked. A {@code FLUSHALL}/{@code
 * FLUSHDB} is a push without keys: every near cache is cleared.
 *
 * <p><b>A read racing an invalidation</b> never caches the old value: a key's load is a future
 * in the near cache (Caffeine's {@code AsyncCache}), an invalidation removes it, and a load whose
 * entry was removed does not put its value back; an invalidation that arrives after the load
 * filled the entry drops it.
 *
 * <p><b>Cluster.</b> Tracking is per node: one connection per master. The masters are those of
 * the store's view of the topology (Lettuce refreshes it on {@code MOVED}, reconnects and every
 * 30 s), read again every second: a master that appears (a replica promoted when its master
 * failed, a scale-out) gets a tracking connection, and once Redis has acknowledged it every near
 * cache is cleared, since values read from that master before may have changed unseen; a node
 * that is no longer a master is left. Until then the near caches are paused, as for a drop.
 *
 * <p>Thread-safe.
 */
public final class ServerTracking implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerTracking.class);
  /** The name of every tracking connection, in {@code CLIENT LIST}. */
  public static final String CLIENT_NAME = "kvstore-tracking";
  /** How often the masters are read again: a local read of the client's topology view. */
  private static final long RESYNC_MILLIS = 1_000;

  /** Where what tracking hears goes. */
  public interface Sink {
    /**
     * Keys of one namespace changed.
     *
     * @param namespace the namespace
     * @param keys the keys, without the namespace
     */
    void invalidate(String namespace, List<String> keys);

    /** Anything may have changed: a flush, or tracking acknowledged anew on one node. */
    void invalidateAll();

    /** A node's tracking is down: nothing read may be kept until {@link #resumed()}. */
    void paused();

    /** Every node's tracking is acknowledged again. */
    void resumed();
  }

  private final Function<RedisURI, CompletableFuture<StatefulRedisConnection<String, String>>>
      connector;
  private final Supplier<List<RedisURI>> nodes;
  private final Duration timeout;
  private final Sink sink;
  /** The prefixes tracked so far, in order; guarded by this. */
  private final Set<String> prefixes = new LinkedHashSet<>();
  /** The tracked nodes by {@code host:port}; guarded by this. */
  private final Map<String, TrackedNode> open = new LinkedHashMap<>();
  /**
   * The nodes whose tracking is not acknowledged (dropped, or new and not yet open), by {@code
   * host:port}; guarded by this. While any is, the sink is paused.
   */
  private final Set<String> down = new HashSet<>();
  private volatile boolean closed;

  /**
   * Tracking on every node; nothing is opened before {@link #start}.
   *
   * @param connector opens a RESP3 connection to one node, without auto-reconnect
   * @param nodes the nodes now: the server, or the masters of a Cluster; asked at start and
   *     every second after
   * @param timeout how long Redis may take to acknowledge tracking
   * @param sink told of what tracking hears and of its outages
   */
  public ServerTracking(
      Function<RedisURI, CompletableFuture<StatefulRedisConnection<String, String>>> connector,
      Supplier<List<RedisURI>> nodes, Duration timeout, Sink sink) {
    this.connector = connector;
    this.nodes = nodes;
    this.timeout = timeout;
    this.sink = sink;
  }

  /**
   * How many nodes are tracked.
   *
   * @return the count
   */
  public synchronized int nodes() {
    return open.size();
  }

  /**
   * Opens a tracking connection to every node, tracking no prefix yet, and returns once all are
   * open.
   *
   * @throws io.kvstore.KvException if a node cannot be reached, or refuses RESP3 or tracking (a
   *     server before Redis 6): the caller falls back to pub/sub
   */
  public void start() {
    List<RedisURI> now = nodes.get();
    List<CompletableFuture<Void>> connected = new ArrayList<>();
    synchronized (this) {
      for (RedisURI uri : now) {
        TrackedNode node = new TrackedNode(this, uri);
        open.put(address(uri), node);
        connected.add(node.connect());
      }
    }
    // Not under the lock: a connection completing on an I/O thread takes it.
    await(CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)),
        "opening a tracking connection to " + now.size() + " node(s)");
    resyncLater();
  }

  /** Opens a tracking connection to a node (for {@link TrackedNode}). */
  CompletableFuture<StatefulRedisConnection<String, String>> open(RedisURI uri) {
    return connector.apply(uri);
  }

  /** Whether the store closed this tracking. */
  boolean isClosed() {
    return closed;
  }

  /** The prefixes tracked so far, for a node that opens. */
  synchronized List<String> prefixes() {
    return List.copyOf(prefixes);
  }

  static String address(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  private void resyncLater() {
    CompletableFuture.delayedExecutor(RESYNC_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
      if (closed) {
        return;
      }
      try {
        resync();
      } catch (RuntimeException e) {
        LOG.debug("reading the masters to track failed; trying again", e);
      }
      resyncLater();
    });
  }

  /** Tracks the masters that appeared since, and leaves the nodes that are masters no more. */
  private void resync() {
    List<RedisURI> now = nodes.get();
    if (now.isEmpty()) {
      // A topology being refreshed, not a cluster without masters.
      return;
    }
    List<TrackedNode> added = new ArrayList<>();
    List<TrackedNode> left = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      Map<String, RedisURI> current = new LinkedHashMap<>();
      now.forEach(uri -> current.put(address(uri), uri));
      open.entrySet().removeIf(e -> !current.containsKey(e.getKey()) && left.add(e.getValue()));
      current.forEach((address, uri) -> {
        if (!open.containsKey(address)) {
          TrackedNode node = new TrackedNode(this, uri);
          open.put(address, node);
          added.add(node);
        }
      });
    }
    left.forEach(node -> {
      LOG.info("near-cache tracking: {} is no longer a master, leaving it", node.address());
      node.close();
      up(node.address());
    });
    added.forEach(node -> {
      LOG.info("near-cache tracking: {} is a new master, tracking it", node.address());
      down(node.address());
      node.reconnect();
    });
  }

  /**
   * Tracks the value keys of a namespace on every node and returns once every node acknowledged.
   *
   * @param namespace the namespace
   * @throws io.kvstore.KvException if a node does not acknowledge in time
   */
  public void track(String namespace) {
    List<String> added = new ArrayList<>();
    List<CompletableFuture<?>> acks = new ArrayList<>();
    synchronized (this) {
      for (String prefix : RedisKeys.trackingPrefixes(namespace)) {
        if (prefixes.add(prefix)) {
          added.add(prefix);
        }
      }
      if (added.isEmpty()) {
        return;
      }
      for (TrackedNode node : open.values()) {
        acks.add(node.enable(added));
      }
    }
    await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)),
        "namespace '" + namespace + "': tracking its keys on the server (CLIENT TRACKING)");
  }

  private void await(CompletableFuture<?> future, String what) {
    Throwable failure;
    try {
      future.get(timeout.toNanos() * 2, TimeUnit.NANOSECONDS);
      return;
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (TimeoutException e) {
      throw new KvTimeoutException(what + ": Redis did not acknowledge it within "
          + timeout.toMillis() * 2 + " ms", false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    }
    throw Errors.translate(failure, what, false, timeout);
  }

  /**
   * A node's tracking is down: the first one down pauses the sink (drop everything, keep
   * nothing); under the lock, so a pause and a resume reach the sink in the order they happen.
   */
  synchronized void down(String address) {
    if (down.add(address) && down.size() == 1) {
      sink.paused();
    } else {
      sink.invalidateAll();
    }
  }

  /** A node's tracking is acknowledged, or the node left: the last one back resumes the sink. */
  synchronized void up(String address) {
    if (down.remove(address) && down.isEmpty()) {
      sink.resumed();
    } else {
      // Values read while this node was not tracked may have changed unseen.
      sink.invalidateAll();
    }
  }

  void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (!(keys instanceof List<?> list)) {
      // FLUSHALL, FLUSHDB, or tracking-table overflow: Redis names no key.
      sink.invalidateAll();
      return;
    }
    Map<String, List<String>> byNamespace = new LinkedHashMap<>();
    for (Object key : list) {
      RedisKeys.Owned owned = key == null ? null : RedisKeys.ownerOf(key.toString());
      if (owned != null) {
        byNamespace.computeIfAbsent(owned.namespace(), n -> new ArrayList<>()).add(owned.key());
      }
    }
    byNamespace.forEach(sink::invalidate);
  }

  /**
   * Closes every tracking connection and waits (at most the reply timeout) until they are
   * closed, not holding the lock: a connection's close reports a disconnection on an I/O thread,
   * which takes it.
   */
  @Override
  public void close() {
    List<TrackedNode> nodes;
    synchronized (this) {
      closed = true;
      nodes = List.copyOf(open.values());
      open.clear();
    }
    CompletableFuture<?>[] closing = nodes.stream().map(TrackedNode::close)
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(closing).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("tracking connections not closed in time; their client closes them", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.kvstore.redis.internal.invalidation;

import io.kvstore.KvTimeoutException;
import io.kvstore.redis.internal.transport.Errors;
import io.kvstore.spi.InvalidationBus;
import io.kvstore.spi.InvalidationListener;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Near-cache invalidation over Redis pub/sub: one channel per namespace
 * ({@code kvstore:invalidate:<namespace>}) that carries only the keys written.
 *
 * <p><b>Pub/sub and server tracking.</b> Every kvstore write publishes the keys it wrote, one
 * message per batch ({@code putAll} of 500 keys is one PUBLISH, pipelined with the writes),
 * which works on every server and on Cluster, where PUBLISH reaches every node. It sees only
 * kvstore's writers, so where the server can tell (Redis 6+, {@code RedisKvOptions.serverTracking}
 * on, the default) the bus also starts {@link ServerTracking} with its first subscription: Redis
 * itself then reports every change to a near-cached namespace's keys, by any client, expiries and
 * flushes included. Both sources feed the same listeners; a key dropped twice costs nothing. The
 * sources are chosen once, at the first subscription, and logged at INFO. A store that tracks
 * still publishes, for instances on pub/sub alone, without waiting ({@link InvalidationPublisher}).
 *
 * <p><b>What is lost is cleared.</b> Pub/sub delivers at most once. Whenever a connection of the
 * store drops, and again when it comes back, every subscriber is told to drop everything: it
 * cannot know what it missed. A message names its publisher, so a store ignores its own writes
 * (it already dropped those keys locally), except for a write that failed ({@link
 * #deliverToSelf}): a timed-out write may be applied later, and its PUBLISH, which Redis runs
 * after it, is then the only news this instance gets of it.
 *
 * <p><b>A near cache fills only once its subscription is active.</b> Subscribing waits for Redis
 * to acknowledge the {@code SUBSCRIBE} (at most the store's reply timeout): a namespace that
 * opened before that could cache a value, and another instance's write of it, published in the
 * meantime, would reach nobody, leaving the entry stale until {@code expireAfterWrite}. If Redis
 * does not acknowledge in time, or refuses (an ACL user without the channel), opening the
 * namespace fails with a {@link io.kvstore.KvException} that says so, and the next opening tries
 * again.
 *
 * <p>Message format: the publisher id and a space and the message's sequence number, then one key
 * per line (keys never contain control characters). A first line without a space (an older
 * publisher) is a publisher id alone. What is published when is {@link InvalidationPublisher}'s.
 */
public final class RedisInvalidationBus implements InvalidationBus, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationBus.class);
  static final String CHANNEL_PREFIX = "kvstore:invalidate:";

  /** Failed writes whose own messages are remembered, at most; beyond, near caches are cleared. */
  static final int MAX_DELIVER_TO_SELF = 10_000;

  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();
  private final Set<Long> deliverToSelf = ConcurrentHashMap.newKeySet();
  private final Supplier<StatefulRedisPubSubConnection<String, String>> connector;
  private final Duration timeout;
  /** Makes the server-side tracking on a sink, or null when it is turned off. */
  private final Function<ServerTracking.Sink, ServerTracking> trackingFactory;
  /** What server tracking tells, passed on to the listeners. */
  private final TrackingSink trackingSink;
  /** The server-side tracking once started; guarded by this. */
  private ServerTracking tracking;
  /** Whether {@link #tracking} started: read by every write, set once. */
  private volatile boolean tracks;
  /** Whether the invalidation source was chosen (and logged); guarded by this. */
  private boolean sourceChosen;
  private final Map<String, List<InvalidationListener>> listeners = new ConcurrentHashMap<>();
  /** Per channel, the SUBSCRIBE's acknowledgement; guarded by this. */
  private final Map<String, CompletableFuture<Void>> subscriptions = new ConcurrentHashMap<>();
  private volatile StatefulRedisPubSubConnection<String, String> connection;
  /** Connections that dropped and have not come back yet (Lettuce reconnects the same one). */
  private final Set<RedisChannelHandler<?, ?>> dropped = ConcurrentHashMap.newKeySet();

  /**
   * A bus whose pub/sub connection opens on the first subscription.
   *
   * @param connector opens a pub/sub connection on the store's client
   * @param timeout how long a subscription may wait for Redis to acknowledge it: the store's
   *     reply timeout
   */
  public RedisInvalidationBus(Supplier<StatefulRedisPubSubConnection<String, String>> connector,
      Duration timeout) {
    this(connector, timeout, null);
  }

  /**
   * A bus whose pub/sub connection opens on the first subscription and which, when {@code
   * tracking} is given and the server supports it, also hears of every writer's changes through
   * server-side tracking ({@link ServerTracking}), started with the first subscription.
   *
   * @param connector opens a pub/sub connection on the store's client
   * @param timeout how long a subscription may wait for Redis to acknowledge it
   * @param tracking makes the server-side tracking on a sink; null to use pub/sub alone
   */
  public RedisInvalidationBus(Supplier<StatefulRedisPubSubConnection<String, String>> connector,
      Duration timeout, Function<ServerTracking.Sink, ServerTracking> tracking) {
    this.connector = connector;
    this.timeout = timeout;
    this.trackingFactory = tracking;
    this.trackingSink = new TrackingSink(listeners, CHANNEL_PREFIX, this::clearAll,
        deliverToSelf::clear);
  }

  /**
   * Reacts to every connection of the store's client: a drop may have lost messages, so every
   * near cache is cleared when a connection drops, and again when that connection comes back (it
   * may have filled while the messages could not arrive). A connection the client closed on
   * purpose lost nothing, and a connection opened for the first time follows no drop: Lettuce
   * opens and closes one to each node for every Cluster topology refresh (at connect, every 30 s,
   * after a {@code MOVED}), and clearing for those would make a near cache's contents depend on
   * the refresh timer, and drop a value being loaded meanwhile.
   *
   * @return the listener to add to the client
   */
  public RedisConnectionStateListener connectionListener() {
    return new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler != null && handler.isClosed()) {
          dropped.remove(handler);
          return;
        }
        if (handler != null) {
          dropped.add(handler);
        }
        clearAll("a connection dropped");
      }

      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (handler != null && dropped.remove(handler)) {
          clearAll("a connection came back");
        }
      }
    };
  }

  private void clearAll(String why) {
    // Whatever a remembered message would have dropped is dropped now.
    deliverToSelf.clear();
    if (!listeners.isEmpty()) {
      LOG.debug("clearing near caches: {}", why);
      listeners.values().forEach(list -> list.forEach(InvalidationListener::invalidateAll));
    }
  }

  /**
   * Subscribes a namespace's near cache and returns once Redis has acknowledged the subscription
   * (at once if the namespace's channel is subscribed already), so nothing the cache holds can
   * predate it.
   *
   * @throws io.kvstore.KvException if Redis does not acknowledge within the reply timeout ({@link
   *     KvTimeoutException}), refuses the channel, or cannot be reached; nothing stays subscribed
   *     for the listener, and a later call tries again
   */
  @Override
  public AutoCloseable subscribe(String namespace, InvalidationListener listener) {
    String channel = CHANNEL_PREFIX + namespace;
    String what = "namespace '" + namespace + "': subscribing its near cache to invalidations"
        + " (channel " + channel + ")";
    CompletableFuture<Void> active;
    List<InvalidationListener> list;
    synchronized (this) {
      try {
        if (connection == null) {
          connection = connector.get();
          connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              deliver(channel, message);
            }
          });
        }
        // Listening before the acknowledgement, so no message after it is missed.
        list = listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
        list.add(listener);
        active = subscriptions.computeIfAbsent(channel,
            c -> connection.async().subscribe(c).toCompletableFuture());
      } catch (RuntimeException e) {
        listeners.computeIfPresent(channel,
            (c, l) -> l.remove(listener) && l.isEmpty() ? null : l);
        throw Errors.translate(e, what, false, timeout);
      }
    }
    awaitAcknowledgement(channel, what, active, listener);
    try {
      ServerTracking t = tracking();
      if (t != null) {
        t.track(namespace);
      }
      trackingSink.joined(listener);
    } catch (RuntimeException e) {
      unsubscribeAfterFailure(channel, active, listener);
      throw e;
    }
    return () -> list.remove(listener);
  }

  /** Waits for the SUBSCRIBE's acknowledgement; on failure, undoes what it was for and throws. */
  private void awaitAcknowledgement(String channel, String what, CompletableFuture<Void> active,
      InvalidationListener listener) {
    Throwable failure;
    try {
      active.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return;
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (TimeoutException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    }
    unsubscribeAfterFailure(channel, active, listener);
    if (failure instanceof TimeoutException) {
      throw new KvTimeoutException(what + ": Redis did not acknowledge it within "
          + timeout.toMillis() + " ms", false, failure);
    }
    throw Errors.translate(failure, what, false, timeout);
  }

  private synchronized void unsubscribeAfterFailure(String channel,
      CompletableFuture<Void> active, InvalidationListener listener) {
    List<InvalidationListener> list = listeners.get(channel);
    if (list != null && list.remove(listener) && list.isEmpty()) {
      listeners.remove(channel);
      // The next subscription to the channel sends SUBSCRIBE again.
      subscriptions.remove(channel, active);
      unsubscribeQuietly(channel);
    }
  }

  /**
   * The server-side tracking, started on the first call, or null when the store uses pub/sub
   * alone: turned off, or a server without {@code HELLO 3} or {@code CLIENT TRACKING} (before
   * Redis 6), or one that refuses it (an ACL). The choice is made once per store and logged at
   * INFO. A failure to reach the server is thrown, and the next subscription tries again.
   */
  private synchronized ServerTracking tracking() {
    if (sourceChosen) {
      return tracking;
    }
    if (trackingFactory == null) {
      sourceChosen = true;
      LOG.info("near-cache invalidations: kvstore's pub/sub channels ({}<namespace>), server"
          + " tracking turned off (RedisKvOptions.serverTracking); writes by other Redis"
          + " clients are seen only when entries expire", CHANNEL_PREFIX);
      return null;
    }
    ServerTracking started = trackingFactory.apply(trackingSink);
    try {
      started.start();
    } catch (RuntimeException e) {
      started.close();
      if (!isRefusal(e)) {
        throw e;
      }
      sourceChosen = true;
      LOG.info("near-cache invalidations: kvstore's pub/sub channels ({}<namespace>); the server"
          + " refused tracking ({}), so writes by other Redis clients are seen only when entries"
          + " expire", CHANNEL_PREFIX, e.getMessage());
      return null;
    }
    sourceChosen = true;
    tracking = started;
    tracks = true;
    LOG.info("near-cache invalidations: server tracking (CLIENT TRACKING BCAST, RESP3) on {}"
        + " node(s), every writer seen; kvstore's pub/sub channels ({}<namespace>) as well",
        started.nodes(), CHANNEL_PREFIX);
    return tracking;
  }

  /**
   * Whether server tracking is this store's source, decided with the first near-cached namespace
   * ({@link InvalidationPublisher} then need not wait for its PUBLISH).
   *
   * @return true once server tracking started
   */
  public boolean tracksServer() {
    return tracks;
  }

  /** An error reply (unknown command, {@code NOPERM}), not an unreachable server. */
  private static boolean isRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.lettuce.core.RedisCommandExecutionException) {
        return true;
      }
    }
    return false;
  }

  /** Best effort: a SUBSCRIBE that timed out may still reach Redis, which would then send in vain. */
  private void unsubscribeQuietly(String channel) {
    try {
      if (connection != null) {
        connection.async().unsubscribe(channel);
      }
    } catch (RuntimeException e) {
      LOG.debug("unsubscribing from {} failed", channel, e);
    }
  }

  private void deliver(String channel, String message) {
    List<InvalidationListener> targets = listeners.get(channel);
    if (targets == null) {
      return;
    }
    List<String> lines = Arrays.asList(message.split("\n", -1));
    if (lines.isEmpty() || isOwnAndIgnored(lines.get(0))) {
      return;
    }
    List<String> keys = lines.subList(1, lines.size());
    targets.forEach(t -> t.invalidate(keys));
  }

  private boolean isOwnAndIgnored(String header) {
    int space = header.indexOf(' ');
    String publisher = space < 0 ? header : header.substring(0, space);
    if (!publisher.equals(instanceId)) {
      return false;
    }
    try {
      return !deliverToSelf.remove(Long.parseLong(header.substring(space + 1)));
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /**
   * A batch's invalidation message.
   *
   * @param sequence its number among this instance's messages
   * @param payload the PUBLISH payload
   */
  record Message(long sequence, byte[] payload) {}

  /** The PUBLISH payload for a batch of written keys, without namespace. */
  Message message(Collection<String> keys) {
    long number = sequence.incrementAndGet();
    StringBuilder sb = new StringBuilder(instanceId).append(' ').append(number);
    for (String key : keys) {
      sb.append('\n').append(key);
    }
    return new Message(number, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The write that {@code message} announces failed and may still be applied: when the message
   * comes back, this instance drops the keys too. Beyond {@link #MAX_DELIVER_TO_SELF} such
   * writes outstanding, every near cache is cleared instead.
   */
  void deliverToSelf(Message message) {
    if (deliverToSelf.size() >= MAX_DELIVER_TO_SELF) {
      clearAll("too many writes with an unknown outcome");
      return;
    }
    deliverToSelf.add(message.sequence());
  }

  @Override
  public synchronized void close() {
    if (tracking != null) {
      tracking.close();
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
    subscriptions.clear();
  }
}

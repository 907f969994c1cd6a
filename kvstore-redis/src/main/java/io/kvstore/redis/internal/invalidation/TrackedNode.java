package io.kvstore.redis.internal.invalidation;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's tracking connection for {@link ServerTracking}, opened again whenever it drops,
 * after 50 ms backing off to 2 s; while it is not acknowledged the node counts as down.
 */
final class TrackedNode {
  private static final Logger LOG = LoggerFactory.getLogger(TrackedNode.class);
  private static final long RETRY_MIN_MILLIS = 50;
  private static final long RETRY_MAX_MILLIS = 2_000;

  private final ServerTracking owner;
  private final RedisURI uri;
  private volatile StatefulRedisConnection<String, String> connection;
  /** Closed with the store, or left since it is no longer a master. */
  private volatile boolean left;
  private long retryMillis = RETRY_MIN_MILLIS;

  TrackedNode(ServerTracking owner, RedisURI uri) {
    this.owner = owner;
    this.uri = uri;
  }

  String address() {
    return ServerTracking.address(uri);
  }

  /** Opens the connection and tracks every prefix known; completes once acknowledged. */
  CompletableFuture<Void> connect() {
    return owner.open(uri).thenCompose(c -> {
      synchronized (owner) {
        if (owner.isClosed() || left) {
          c.closeAsync();
          return CompletableFuture.completedFuture(null);
        }
        connection = c;
        c.addListener(owner::onPush);
        c.addListener(new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            dropped(c);
          }
        });
        // BCAST with no prefix would track every key: a node opens with the prefixes known
        // and, before the first namespace, with none (tracking is switched on with the first).
        List<String> prefixes = owner.prefixes();
        return prefixes.isEmpty() ? CompletableFuture.completedFuture(null) : enable(prefixes);
      }
    });
  }

  CompletableFuture<Void> enable(List<String> added) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      // Reconnecting: the new connection tracks every prefix, this one included.
      return CompletableFuture.completedFuture(null);
    }
    return c.async().clientTracking(TrackingArgs.Builder.enabled().bcast()
        .prefixes(added.toArray(String[]::new))).toCompletableFuture().thenApply(ok -> null);
  }

  private void dropped(StatefulRedisConnection<String, String> c) {
    if (owner.isClosed() || left) {
      return;
    }
    synchronized (owner) {
      if (owner.isClosed() || left || connection != c) {
        return;
      }
      connection = null;
    }
    LOG.info("near-cache tracking connection to {}:{} dropped: near caches cleared and"
        + " bypassed until it is back", uri.getHost(), uri.getPort());
    owner.down(address());
    c.closeAsync();
    reconnect();
  }

  /** Opens the connection after a delay until Redis acknowledges it, then clears caches. */
  void reconnect() {
    long delay = retryMillis;
    retryMillis = Math.min(RETRY_MAX_MILLIS, retryMillis * 2);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
      if (owner.isClosed() || left) {
        return;
      }
      connect().whenComplete((done, error) -> {
        if (error != null) {
          LOG.debug("tracking connection to {}:{} not back yet", uri.getHost(), uri.getPort(),
              error);
          StatefulRedisConnection<String, String> half = connection;
          synchronized (owner) {
            if (connection == half) {
              connection = null;
            }
          }
          if (half != null) {
            half.closeAsync();
          }
          reconnect();
          return;
        }
        retryMillis = RETRY_MIN_MILLIS;
        owner.up(address());
        LOG.info("near-cache tracking connection to {}:{} is open", uri.getHost(),
            uri.getPort());
      });
    });
  }

  CompletableFuture<Void> close() {
    left = true;
    StatefulRedisConnection<String, String> c = connection;
    connection = null;
    return c == null ? CompletableFuture.completedFuture(null) : c.closeAsync();
  }
}

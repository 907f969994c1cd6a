package io.kvstore.redis.internal.transport;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.protocol.ProtocolVersion;

/**
 * The client of the server-side tracking connections: made on first use, on the store client's
 * I/O resources (so it adds no thread), with the store client's options except two: RESP3, so
 * Redis can push invalidations on the connection itself, and no auto-reconnect, since a
 * reconnected connection would come back without its tracking (the invalidation package opens a
 * new one instead). The main and bulk connections keep their own protocol. Thread-safe.
 */
final class TrackingClient {
  private final AbstractRedisClient owner;
  private RedisClient client;
  private boolean closed;

  TrackingClient(AbstractRedisClient owner) {
    this.owner = owner;
  }

  synchronized RedisClient client() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
    if (client == null) {
      client = RedisClient.create(owner.getResources());
      client.setOptions(ClientOptions.copyOf(owner.getOptions()).mutate()
          .protocolVersion(ProtocolVersion.RESP3)
          .autoReconnect(false)
          .build());
    }
    return client;
  }

  synchronized void close() {
    closed = true;
    if (client != null) {
      client.shutdown();
    }
  }
}

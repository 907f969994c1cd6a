package io.kvstore.redis.internal;

import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** How commands reach Redis: one server, or the masters of a Cluster. */
interface Transport extends AutoCloseable {
  /**
   * Writes every command before awaiting any reply (grouped per node in Cluster, all nodes at
   * once), records the round trips, and completes each {@link Routed#result}.
   *
   * @return completes when every command has its result; fails if any failed
   */
  CompletableFuture<Void> dispatch(BackendCall call, List<? extends Routed<?>> commands);

  /**
   * Names the node a routing key's commands go to now (always the same name on one server), so
   * callers can remember per-node state such as which scripts a node has cached.
   */
  String nodeOf(String routingKey);

  /** How many nodes a full SCAN walks (1 on a single server: the masters in Cluster). */
  int scanNodes();

  /** One SCAN call on the {@code node}-th node. */
  CompletableFuture<KeyScanCursor<String>> scan(int node, String cursor, String match, int count);

  /** Opens a pub/sub connection on the same client (and so the same options). */
  StatefulRedisPubSubConnection<String, String> connectPubSub();

  /** Watches every connection the client opens, drops and re-opens. */
  void addConnectionListener(RedisConnectionStateListener listener);

  /** One PING round trip. */
  CompletableFuture<String> ping();

  @Override
  void close();
}

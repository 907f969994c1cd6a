package io.kvstore.redis.internal.transport;

import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How commands reach Redis: one server, or the masters of a Cluster. What the commands are is
 * {@link io.kvstore.redis.internal.protocol.Commands}'s; what both topologies share (the client,
 * the bulk connection, waves, closing) is {@link AbstractTransport}'s.
 */
public interface Transport extends AutoCloseable {
  /**
   * Writes every command before awaiting any reply (grouped per node in Cluster, all nodes at
   * once), records the round trips, and completes each {@link Routed#result}. A batch of more
   * commands than half the request queue goes in waves of that many, each sent once the one
   * before has its replies (one round trip per wave), so a large batch is never refused as if
   * Redis were unavailable and leaves room in the queue for other calls.
   *
   * @return completes when every command has its result; fails if any failed
   */
  CompletableFuture<Void> dispatch(BackendCall call, List<? extends Routed<?>> commands);

  /**
   * Splits keys into command-sized groups of indices: chunks of {@code max} keys, and in Cluster
   * one slot per group, because a multi-key command must stay within a slot. The topology is the
   * transport's to know, so no caller asks which one it is.
   *
   * @param keys full Redis keys
   * @param max the most keys per group
   * @return groups of indices into {@code keys}, in first-seen order
   */
  List<List<Integer>> groups(List<String> keys, int max);

  /**
   * The most keys one multi-key command of {@code call} may carry: {@code max} (the store's
   * {@code maxKeysPerCommand}), but for a batch that goes on the bulk connection no more than
   * {@value AbstractTransport#BULK_KEYS_PER_COMMAND}, whatever {@code max} says, so Redis never
   * runs one bulk command much longer than it takes to read one query buffer's worth of it.
   *
   * @param call the call the commands belong to
   * @param max the store's limit
   * @return at least 1
   */
  int keysPerCommand(BackendCall call, int max);

  /**
   * Whether the commands of one dispatch run in the order given, on one connection, so a command
   * appended to a batch runs after the others (one server: yes; Cluster: they go to several
   * masters).
   */
  boolean ordersBatch();

  /**
   * Splits indices into chunks of at most {@code max}.
   *
   * @param indices the indices
   * @param max the most per chunk
   * @return consecutive chunks, views of {@code indices}
   */
  static List<List<Integer>> chunks(List<Integer> indices, int max) {
    List<List<Integer>> chunks = new ArrayList<>();
    for (int i = 0; i < indices.size(); i += max) {
      chunks.add(indices.subList(i, Math.min(indices.size(), i + max)));
    }
    return chunks;
  }

  /**
   * Names the node a routing key's commands go to now (always the same name on one server), so
   * callers can remember per-node state such as which scripts a node has cached.
   */
  String nodeOf(String routingKey);

  /**
   * The scripts this store has run, as {@code sha@node}: a script's first call on a node goes as
   * {@code EVAL}. Per store, not per JVM: another store may have met another server at the same
   * address.
   */
  Set<String> scriptsRun();

  /** How many nodes a full SCAN walks (1 on a single server: the masters in Cluster). */
  int scanNodes();

  /** One SCAN call on the {@code node}-th node. */
  CompletableFuture<KeyScanCursor<String>> scan(int node, String cursor, String match, int count);

  /** Opens a pub/sub connection on the same client (and so the same options). */
  StatefulRedisPubSubConnection<String, String> connectPubSub();

  /**
   * The nodes a server-side tracking connection goes to: the server, or the masters of a
   * Cluster known now.
   */
  List<RedisURI> trackingNodes();

  /**
   * Opens a RESP3 connection to one node, named {@code clientName}, with the client's options
   * but no auto-reconnect (a reconnected connection would have lost its tracking), for
   * server-side tracking. Its client is closed with the transport.
   *
   * @param node a node from {@link #trackingNodes()}
   * @param clientName the name it shows in {@code CLIENT LIST}
   * @return the connection, once open; fails if the node is unreachable or refuses RESP3
   */
  CompletableFuture<StatefulRedisConnection<String, String>> connectTracking(RedisURI node,
      String clientName);

  /** Watches every connection the client opens, drops and re-opens. */
  void addConnectionListener(RedisConnectionStateListener listener);

  /**
   * Runs a task at the next chance to write the main connection: on its I/O thread, once known.
   * See {@link io.kvstore.spi.KvBackend#requestSender()}.
   */
  Executor requestSender();

  /** One PING round trip. */
  CompletableFuture<String> ping();

  @Override
  void close();
}

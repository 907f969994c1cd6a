package io.kvstore.redis.internal.transport;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redis Cluster. A batch is grouped by the master that owns each command's slot, and each master's
 * commands are written together on that master's connection, all masters at once: one round trip
 * touching every master involved. Lettuce's own cluster {@code MGET} sends one command per slot
 * and awaits them as separate writes; grouping by node is what keeps a 100-key read at one
 * pipelined write per node.
 *
 * <p>Batches of more than {@code bulkThreshold} keys go on a second cluster connection of the
 * same client ({@link BulkConnection}), which has its own connection to each node, so their
 * replies never queue ahead of small calls.
 *
 * <p>Topology changes: node connections do not follow redirects, so commands answered with
 * {@code MOVED} or {@code ASK} are sent once more through the cluster connection, which follows
 * redirects and refreshes the topology (one extra round trip, only while slots move).
 */
public final class ClusterTransport implements Transport {
  private final Set<String> scriptsRun = ConcurrentHashMap.newKeySet();
  private static final String UNKNOWN_NODE = "";

  private final RedisClusterClient client;
  private final StatefulRedisClusterConnection<String, byte[]> connection;
  private final BulkConnection<StatefulRedisClusterConnection<String, byte[]>> bulk;
  private final int bulkThreshold;
  private final int wave;

  /**
   * Wraps an open cluster connection.
   *
   * @param client the client that opened it
   * @param connection the main cluster connection
   * @param options tuning
   */
  public ClusterTransport(RedisClusterClient client,
      StatefulRedisClusterConnection<String, byte[]> connection, RedisKvOptions options) {
    this.client = client;
    this.connection = connection;
    this.bulk = new BulkConnection<>(
        () -> client.connectAsync(Transport.CODEC).toCompletableFuture());
    this.bulkThreshold = options.bulkThreshold();
    this.wave = Transport.waveSize(options.requestQueueSize());
  }

  @Override
  public CompletableFuture<Void> dispatch(BackendCall call, List<? extends Routed<?>> commands) {
    if (commands.size() > wave) {
      return Transport.inWaves(commands, wave, part -> dispatch(call, part));
    }
    if (call.keyCount() > bulkThreshold) {
      // A second cluster connection: its own connection to each node, same client options.
      return bulk.get().handle((bulkConnection, error) -> {
        if (error != null) {
          commands.forEach(r -> r.result.completeExceptionally(error));
          return CompletableFuture.allOf(commands.stream().map(r -> r.result)
              .toArray(CompletableFuture[]::new));
        }
        return dispatch(bulkConnection, call, commands);
      }).thenCompose(sent -> sent);
    }
    return dispatch(connection, call, commands);
  }

  private CompletableFuture<Void> dispatch(
      StatefulRedisClusterConnection<String, byte[]> connection, BackendCall call,
      List<? extends Routed<?>> commands) {
    Partitions partitions = connection.getPartitions();
    Map<String, List<Routed<?>>> byNode = new LinkedHashMap<>();
    for (Routed<?> routed : commands) {
      RedisClusterNode node = partitions.getMasterBySlot(SlotHash.getSlot(routed.routingKey));
      byNode.computeIfAbsent(node == null ? UNKNOWN_NODE : node.getNodeId(),
          n -> new ArrayList<>()).add(routed);
    }
    call.recordRoundTrip(byNode.size());
    List<CompletableFuture<?>> attempts = new ArrayList<>(commands.size());
    List<Routed<?>> order = new ArrayList<>(commands.size());
    for (Map.Entry<String, List<Routed<?>>> group : byNode.entrySet()) {
      List<AsyncCommand<String, byte[], ?>> sent = new ArrayList<>(group.getValue().size());
      for (Routed<?> routed : group.getValue()) {
        AsyncCommand<String, byte[], ?> attempt = new AsyncCommand<>(routed.factory.get());
        sent.add(attempt);
        attempts.add(attempt);
        order.add(routed);
      }
      if (group.getKey().equals(UNKNOWN_NODE)) {
        connection.dispatch(sent);
      } else {
        connection.getConnectionAsync(group.getKey()).whenComplete((nodeConnection, error) -> {
          if (error != null) {
            sent.forEach(c -> c.completeExceptionally(error));
          } else {
            nodeConnection.dispatch(sent);
          }
        });
      }
    }
    return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
        .handle((ignored, error) -> null)
        .thenCompose(ignored -> settle(connection, call, order, attempts));
  }

  /** Completes each command from its attempt, re-sending the redirected ones once. */
  private static CompletableFuture<Void> settle(
      StatefulRedisClusterConnection<String, byte[]> connection, BackendCall call,
      List<Routed<?>> order, List<CompletableFuture<?>> attempts) {
    List<RedisCommand<String, byte[], ?>> retries = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Routed<?> routed = order.get(i);
      CompletableFuture<?> attempt = attempts.get(i);
      Throwable error = attempt.isCompletedExceptionally() ? failure(attempt) : null;
      if (error != null && Errors.isRedirect(error)) {
        retries.add(routed.attempt());
      } else {
        complete(routed, attempt, error);
      }
    }
    if (!retries.isEmpty()) {
      call.recordRoundTrip(1);
      connection.dispatch(retries);
    }
    return CompletableFuture.allOf(order.stream().map(r -> r.result)
        .toArray(CompletableFuture[]::new));
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Routed<T> routed, CompletableFuture<?> attempt,
      Throwable error) {
    if (error != null) {
      routed.result.completeExceptionally(error);
    } else {
      routed.result.complete((T) attempt.join());
    }
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.join();
      return null;
    } catch (RuntimeException e) {
      return Errors.unwrap(e);
    }
  }

  @Override
  public List<List<Integer>> groups(List<String> keys, int max) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      bySlot.computeIfAbsent(SlotHash.getSlot(keys.get(i)), s -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> groups = new ArrayList<>();
    for (List<Integer> slot : bySlot.values()) {
      groups.addAll(Transport.chunks(slot, max));
    }
    return groups;
  }

  @Override
  public boolean ordersBatch() {
    return false;
  }

  @Override
  public String nodeOf(String routingKey) {
    RedisClusterNode node = connection.getPartitions()
        .getMasterBySlot(SlotHash.getSlot(routingKey));
    return node == null ? UNKNOWN_NODE : node.getNodeId();
  }

  /** The masters in a stable order, so a cursor's node index means the same node next time. */
  private List<RedisClusterNode> masters() {
    List<RedisClusterNode> masters = new ArrayList<>();
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        masters.add(node);
      }
    }
    masters.sort(Comparator.comparing(RedisClusterNode::getNodeId));
    return masters;
  }

  @Override
  public int scanNodes() {
    return masters().size();
  }

  @Override
  public CompletableFuture<KeyScanCursor<String>> scan(int node, String cursor, String match,
      int count) {
    String nodeId = masters().get(node).getNodeId();
    return connection.getConnectionAsync(nodeId).thenCompose(
        (StatefulRedisConnection<String, byte[]> c) -> c.async()
            .scan(ScanCursor.of(cursor), ScanArgs.Builder.matches(match).limit(count))
            .toCompletableFuture());
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return client.connectPubSub(StringCodec.UTF8);
  }

  @Override
  public void addConnectionListener(RedisConnectionStateListener listener) {
    client.addListener(listener);
  }

  @Override
  public CompletableFuture<String> ping() {
    return connection.async().ping().toCompletableFuture();
  }

  @Override
  public Set<String> scriptsRun() {
    return scriptsRun;
  }

  @Override
  public void close() {
    bulk.close();
    connection.close();
    client.shutdown();
  }

  @Override
  public String toString() {
    return "redis cluster " + client;
  }
}

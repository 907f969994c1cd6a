package io.kvstore.redis.internal.transport;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Redis Cluster. A batch is grouped by the master that owns each command's slot, and each master's
 * commands are written together on that master's connection, all masters at once: one round trip
 * touching every master involved. Lettuce's own cluster {@code MGET} sends one command per slot
 * and awaits them as separate writes; grouping by node is what keeps a 100-key read at one
 * pipelined write per node.
 *
 * <p>Batches of more than {@code bulkThreshold} keys go on a second cluster connection
 * ({@link BulkConnection}) with the same options, which has its own connection to each node, made
 * by a second client with an I/O thread of its own ({@link BulkIo}), so their replies never queue
 * ahead of small calls, on the socket or on the thread that reads them; both are {@link
 * AbstractTransport}'s.
 *
 * <p>Topology changes: node connections do not follow redirects ({@code MOVED}, {@code ASK}), so
 * {@link ClusterRedirects} does, off the I/O threads. Node connections are only ever asked for
 * asynchronously here, and never through the cluster connection's own routing, which may open one
 * synchronously on the event loop that would have to answer it.
 */
public final class ClusterTransport extends
    AbstractTransport<RedisClusterClient, StatefulRedisClusterConnection<String, byte[]>> {
  private static final String UNKNOWN_NODE = "";

  private final ClusterRedirects redirects;
  private final RedisURI seed;

  /**
   * Wraps an open cluster connection.
   *
   * @param client the client that opened it
   * @param seeds the seed nodes, for the bulk client
   * @param connection the main cluster connection
   * @param options tuning
   */
  public ClusterTransport(RedisClusterClient client, List<RedisURI> seeds,
      StatefulRedisClusterConnection<String, byte[]> connection, RedisKvOptions options) {
    super("redis cluster", client, connection, () -> client.connectPubSub(StringCodec.UTF8),
        resources -> {
          RedisClusterClient c = RedisClusterClient.create(resources, seeds);
          c.setOptions((ClusterClientOptions) client.getOptions());
          return c;
        },
        // A client of its own learns the topology before it connects, without blocking.
        bulkClient -> bulkClient.refreshPartitionsAsync()
            .thenCompose(known -> bulkClient.connectAsync(Commands.CODEC)),
        options);
    this.redirects = new ClusterRedirects(client);
    this.seed = seeds.get(0);
  }

  /**
   * Sends each command to the master that owns its slot in the known topology, every master's
   * commands in one write. Nothing here waits: node connections are asked for asynchronously, so
   * this may run on an I/O thread (the next wave of a batch starts where the last one ended).
   * A slot no known master serves goes to any master, whose {@code MOVED} names the owner.
   */
  @Override
  CompletableFuture<Void> send(StatefulRedisClusterConnection<String, byte[]> on,
      BackendCall call, List<? extends Routed<?>> commands) {
    Partitions partitions = on.getPartitions();
    Map<String, List<Routed<?>>> byNode = new LinkedHashMap<>();
    for (Routed<?> routed : commands) {
      RedisClusterNode node = partitions.getMasterBySlot(SlotHash.getSlot(routed.routingKey()));
      if (node == null) {
        node = anyMaster(partitions);
      }
      byNode.computeIfAbsent(node == null ? UNKNOWN_NODE : node.getNodeId(),
          n -> new ArrayList<>()).add(routed);
    }
    call.recordRoundTrip(byNode.size());
    List<CompletableFuture<?>> attempts = new ArrayList<>(commands.size());
    List<Routed<?>> order = new ArrayList<>(commands.size());
    for (Map.Entry<String, List<Routed<?>>> group : byNode.entrySet()) {
      List<RedisCommand<String, byte[], ?>> sent = new ArrayList<>(group.getValue().size());
      for (Routed<?> routed : group.getValue()) {
        AsyncCommand<String, byte[], ?> attempt = routed.command();
        sent.add(attempt);
        attempts.add(attempt);
        order.add(routed);
      }
      String nodeId = group.getKey();
      if (nodeId.equals(UNKNOWN_NODE)) {
        ClusterRedirects.failAll(sent,
            new RedisConnectionException("no master of the cluster is known"));
      } else {
        ClusterRedirects.write(() -> on.getConnectionAsync(nodeId), sent);
      }
    }
    return redirects.settle(on, call, order, attempts);
  }

  private static RedisClusterNode anyMaster(Partitions partitions) {
    for (RedisClusterNode node : partitions) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        return node;
      }
    }
    return null;
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

  /**
   * The masters known now that serve slots and are not failed, with the first seed's
   * credentials, TLS and timeout.
   */
  @Override
  public List<RedisURI> trackingNodes() {
    List<RedisURI> nodes = new ArrayList<>();
    for (RedisClusterNode master : masters()) {
      // A failed master (after a failover it keeps the flag and no slot until it is forgotten)
      // holds nothing to track, and while it would count as down near caches keep nothing.
      if (master.is(RedisClusterNode.NodeFlag.FAIL) || master.getSlots().isEmpty()) {
        continue;
      }
      RedisURI at = master.getUri();
      nodes.add(RedisURI.builder().withHost(at.getHost()).withPort(at.getPort())
          .withAuthentication(seed).withSsl(seed).withTimeout(seed.getTimeout()).build());
    }
    return nodes;
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

  /** Stops following redirects, then closes what {@link AbstractTransport} closes. */
  @Override
  public void close() {
    redirects.close();
    super.close();
  }
}

package io.kvstore.redis.internal.transport;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
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
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
 * ahead of small calls, on the socket or on the thread that reads them.
 *
 * <p>Topology changes: node connections do not follow redirects, so this class does. A command
 * answered with {@code MOVED} goes to the node named, and the topology is refreshed; one answered
 * with {@code ASK} (its slot is half moved) goes to the node named right after {@code ASKING}.
 * One extra round trip per redirect, only while slots move, at most {@value #MAX_REDIRECTS} per
 * command; a command still redirected after that fails with its redirect, which {@link Errors}
 * reports as retryable.
 *
 * <p>Nothing that may wait runs on a Netty I/O thread. Replies complete there, so following a
 * redirect moves to this transport's own thread first: Lettuce's cluster connection gets a node
 * connection synchronously when it writes a batch, and if that connection had to be opened on
 * the very event loop that was waiting for it, the loop would wait for itself and every
 * connection on it would stop answering. Node connections are only ever asked for
 * asynchronously here, and never through the cluster connection's own routing.
 */
public final class ClusterTransport implements Transport {
  private final Set<String> scriptsRun = ConcurrentHashMap.newKeySet();
  private static final String UNKNOWN_NODE = "";
  /** Redirects followed per command before the redirect is the failure, as Lettuce's default. */
  private static final int MAX_REDIRECTS = 5;

  private final RedisClusterClient client;
  private final StatefulRedisClusterConnection<String, byte[]> connection;
  private final BulkIo<RedisClusterClient> bulkClient;
  private final BulkConnection<StatefulRedisClusterConnection<String, byte[]>> bulk;
  private final int bulkThreshold;
  private final Duration timeout;
  private final int wave;
  /** Follows redirects off the I/O threads; one daemon thread, gone when idle. */
  private final ThreadPoolExecutor redirects;
  private final AtomicBoolean refreshing = new AtomicBoolean();

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
    this.client = client;
    this.connection = connection;
    this.bulkClient = new BulkIo<>(client.getResources(), resources -> {
      RedisClusterClient c = RedisClusterClient.create(resources, seeds);
      c.setOptions((ClusterClientOptions) client.getOptions());
      return c;
    });
    this.bulk = new BulkConnection<>(() -> {
      RedisClusterClient c = bulkClient.client();
      // A client of its own learns the topology before it connects, without blocking.
      return c.refreshPartitionsAsync().toCompletableFuture()
          .thenCompose(known -> c.connectAsync(Transport.CODEC));
    });
    this.bulkThreshold = options.bulkThreshold();
    this.timeout = options.timeout();
    this.wave = Transport.waveSize(options.requestQueueSize());
    this.redirects = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "kvstore-cluster-redirects");
          thread.setDaemon(true);
          return thread;
        });
    this.redirects.allowCoreThreadTimeOut(true);
  }

  @Override
  public CompletableFuture<Void> dispatch(BackendCall call, List<? extends Routed<?>> commands) {
    if (commands.size() > wave) {
      return Transport.inWaves(commands, wave, part -> dispatch(call, part));
    }
    if (call.keyCount() > bulkThreshold) {
      // A second cluster connection: its own connection to each node, same client options.
      return bulk.get(timeout).handle((bulkConnection, error) -> {
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

  /**
   * Sends each command to the master that owns its slot in the known topology, every master's
   * commands in one write. Nothing here waits: node connections are asked for asynchronously, so
   * this may run on an I/O thread (the next wave of a batch starts where the last one ended).
   * A slot no known master serves goes to any master, whose {@code MOVED} names the owner.
   */
  private CompletableFuture<Void> dispatch(
      StatefulRedisClusterConnection<String, byte[]> connection, BackendCall call,
      List<? extends Routed<?>> commands) {
    Partitions partitions = connection.getPartitions();
    Map<String, List<Routed<?>>> byNode = new LinkedHashMap<>();
    for (Routed<?> routed : commands) {
      RedisClusterNode node = partitions.getMasterBySlot(SlotHash.getSlot(routed.routingKey));
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
        AsyncCommand<String, byte[], ?> attempt = new AsyncCommand<>(routed.factory.get());
        sent.add(attempt);
        attempts.add(attempt);
        order.add(routed);
      }
      String nodeId = group.getKey();
      if (nodeId.equals(UNKNOWN_NODE)) {
        failAll(sent, new RedisConnectionException("no master of the cluster is known"));
      } else {
        send(() -> connection.getConnectionAsync(nodeId), sent);
      }
    }
    return settle(connection, call, order, attempts, MAX_REDIRECTS);
  }

  /** Writes commands on a node connection once it is open; a failure to get it fails them. */
  private static void send(
      Supplier<CompletableFuture<StatefulRedisConnection<String, byte[]>>> node,
      List<RedisCommand<String, byte[], ?>> commands) {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> opening;
    try {
      opening = node.get();
    } catch (RuntimeException e) {
      // Lettuce throws at once for a node that left its view of the cluster.
      failAll(commands, e);
      return;
    }
    opening.whenComplete((nodeConnection, error) -> {
      if (error != null) {
        failAll(commands, error);
        return;
      }
      try {
        nodeConnection.dispatch(commands);
      } catch (RuntimeException e) {
        failAll(commands, e);
      }
    });
  }

  private static void failAll(List<RedisCommand<String, byte[], ?>> commands, Throwable error) {
    commands.forEach(c -> c.completeExceptionally(error));
  }

  private static RedisClusterNode anyMaster(Partitions partitions) {
    for (RedisClusterNode node : partitions) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        return node;
      }
    }
    return null;
  }

  /**
   * Once every attempt has its reply, completes each command from it, and follows the
   * redirected ones: at most {@code redirectsLeft} more times, after which the redirect itself is
   * the failure (translated as retryable). Following runs on the redirect executor, never on the
   * I/O thread that delivered the reply.
   */
  private CompletableFuture<Void> settle(
      StatefulRedisClusterConnection<String, byte[]> connection, BackendCall call,
      List<Routed<?>> order, List<CompletableFuture<?>> attempts, int redirectsLeft) {
    return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
        .handle((ignored, error) -> null)
        .thenCompose(ignored -> {
          List<Routed<?>> redirected = new ArrayList<>();
          List<Redirect> targets = new ArrayList<>();
          for (int i = 0; i < order.size(); i++) {
            Routed<?> routed = order.get(i);
            CompletableFuture<?> attempt = attempts.get(i);
            Throwable error = attempt.isCompletedExceptionally() ? failure(attempt) : null;
            Redirect redirect = redirectsLeft > 0 ? Redirect.of(error) : null;
            if (redirect != null) {
              redirected.add(routed);
              targets.add(redirect);
            } else {
              complete(routed, attempt, error);
            }
          }
          if (!redirected.isEmpty()) {
            try {
              redirects.execute(() -> {
                try {
                  follow(connection, call, redirected, targets, redirectsLeft - 1);
                } catch (RuntimeException e) {
                  redirected.forEach(r -> r.result.completeExceptionally(e));
                }
              });
            } catch (RejectedExecutionException closed) {
              RedisConnectionException error =
                  new RedisConnectionException("the store is closed");
              redirected.forEach(r -> r.result.completeExceptionally(error));
            }
          }
          return CompletableFuture.allOf(order.stream().map(r -> r.result)
              .toArray(CompletableFuture[]::new));
        });
  }

  /**
   * Re-sends redirected commands to the node each redirect names: {@code ASK} (the slot is half
   * moved) with {@code ASKING} right before the command, on the same connection; {@code MOVED}
   * (the slot has moved) as it is, and the topology is refreshed so later calls go there first.
   */
  private void follow(StatefulRedisClusterConnection<String, byte[]> connection,
      BackendCall call, List<Routed<?>> redirected, List<Redirect> targets, int redirectsLeft) {
    if (targets.stream().anyMatch(t -> !t.ask)) {
      refreshTopology();
    }
    Map<String, List<Integer>> byTarget = new LinkedHashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      Redirect target = targets.get(i);
      byTarget.computeIfAbsent((target.ask ? "ASK " : "MOVED ") + target.host + ":"
          + target.port, k -> new ArrayList<>()).add(i);
    }
    call.recordRoundTrip(1);
    List<CompletableFuture<?>> attempts = new ArrayList<>(redirected.size());
    List<Routed<?>> order = new ArrayList<>(redirected.size());
    for (List<Integer> group : byTarget.values()) {
      Redirect target = targets.get(group.get(0));
      List<RedisCommand<String, byte[], ?>> sent = new ArrayList<>(group.size() * 2);
      for (int i : group) {
        Routed<?> routed = redirected.get(i);
        if (target.ask) {
          sent.add(new AsyncCommand<>(new Command<>(CommandType.ASKING,
              new StatusOutput<>(Transport.CODEC), new CommandArgs<>(Transport.CODEC))));
        }
        AsyncCommand<String, byte[], ?> attempt = new AsyncCommand<>(routed.factory.get());
        sent.add(attempt);
        attempts.add(attempt);
        order.add(routed);
      }
      send(() -> connection.getConnectionAsync(target.host, target.port), sent);
    }
    settle(connection, call, order, attempts, redirectsLeft);
  }

  /** Starts a topology refresh unless one is running: MOVED says the known one is stale. */
  private void refreshTopology() {
    if (refreshing.compareAndSet(false, true)) {
      try {
        client.refreshPartitionsAsync().whenComplete((done, error) -> refreshing.set(false));
      } catch (RuntimeException e) {
        refreshing.set(false);
      }
    }
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

  /** Where a {@code MOVED} or {@code ASK} reply sends its command. */
  private record Redirect(boolean ask, String host, int port) {
    /** The redirect a failure carries, or {@code null} if it is none. */
    static Redirect of(Throwable failure) {
      if (failure == null || !Errors.isRedirect(failure)) {
        return null;
      }
      // "MOVED 3999 127.0.0.1:6381" or "ASK 3999 127.0.0.1:6381"
      String[] parts = Errors.unwrap(failure).getMessage().split(" ");
      if (parts.length < 3) {
        return null;
      }
      int colon = parts[2].lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      try {
        return new Redirect(parts[0].equals("ASK"), parts[2].substring(0, colon),
            Integer.parseInt(parts[2].substring(colon + 1).trim()));
      } catch (NumberFormatException e) {
        return null;
      }
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
    redirects.shutdown();
    bulk.close();
    bulkClient.close();
    connection.close();
    client.shutdown();
  }

  @Override
  public String toString() {
    return "redis cluster " + client;
  }
}

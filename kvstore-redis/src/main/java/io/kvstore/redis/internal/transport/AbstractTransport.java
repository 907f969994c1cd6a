package io.kvstore.redis.internal.transport;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What both topologies share, in one place (as Lettuce shares a client's lifecycle in its {@code
 * AbstractRedisClient}): the client and its main connection, the bulk client and connection made
 * on the first large batch, splitting a batch into waves and choosing its connection, the
 * pub/sub connection, {@code PING}, the scripts run, and closing all of it in order. A subclass
 * says only how one wave reaches the server(s) ({@link #send}) and what its topology is (groups,
 * nodes, {@code SCAN}).
 *
 * <p>Thread-safe.
 *
 * @param <C> the Lettuce client type
 * @param <K> the main (and bulk) connection type
 */
abstract class AbstractTransport<C extends AbstractRedisClient,
    K extends StatefulConnection<String, byte[]>> implements Transport {
  /**
   * The most keys of one command on the bulk connection. Redis runs a command to its end before
   * it serves another connection, and reads each connection's pipelined commands 16 KiB at a
   * time ({@code PROTO_IOBUF_LEN}), running every whole command in what it read before it looks
   * at other sockets: the 16 KiB of a 500-key MGET of short keys is one such read. A small call
   * beside a bulk read therefore waits for about one read's worth of bulk commands, whatever the
   * chunk below this size (smaller chunks are only more commands per read: measured by
   * {@code InterferenceProbe}, see docs/redis.md, "Latency isolation"); larger chunks hold Redis
   * longer (1.7-1.9 ms at 2,500 keys against 0.3-0.5 ms at 500, loaded machine), so a
   * {@code maxKeysPerCommand} above this applies to the main connection only.
   */
  static final int BULK_KEYS_PER_COMMAND = 500;

  /** The client that opened the main connection; shut down on close. */
  final C client;
  /** The connection for ordinary calls. */
  final K connection;
  private final Set<String> scriptsRun = ConcurrentHashMap.newKeySet();
  private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSub;
  private final BulkIo<C> bulkClient;
  private final BulkConnection<K> bulk;
  /** The client of the tracking connections, made on first use. */
  private final TrackingClient tracking;
  private final int bulkThreshold;
  private final Duration timeout;
  private final int wave;
  private final String name;
  /**
   * The I/O thread of the main connection, learned from the thread its replies complete on
   * (Lettuce completes a command on its channel's event loop); {@code null} until a reply came,
   * and again after any connection of the client dropped, since a reconnected channel may be
   * registered with another event loop.
   */
  private volatile EventExecutor mainLoop;
  private final Executor requestSender = this::sendSoon;

  /**
   * Wraps an open connection.
   *
   * @param name what {@link #toString()} calls the topology
   * @param client the client that opened it
   * @param connection the main connection
   * @param pubSub opens a pub/sub connection on {@code client}
   * @param bulkClient makes the bulk client on its own resources, with {@code client}'s options
   * @param openBulk opens the bulk connection on the bulk client, without blocking
   * @param options tuning
   */
  AbstractTransport(String name, C client, K connection,
      Supplier<StatefulRedisPubSubConnection<String, String>> pubSub,
      Function<ClientResources, C> bulkClient, Function<C, CompletionStage<K>> openBulk,
      RedisKvOptions options) {
    this.name = name;
    this.client = client;
    this.connection = connection;
    this.pubSub = pubSub;
    this.bulkClient = new BulkIo<>(client.getResources(), bulkClient);
    this.bulk = new BulkConnection<>(
        () -> openBulk.apply(this.bulkClient.client()).toCompletableFuture());
    this.tracking = new TrackingClient(client);
    this.bulkThreshold = options.bulkThreshold();
    this.timeout = options.timeout();
    // Half the request queue, at least 1: room is left for other calls.
    this.wave = Math.max(1, options.requestQueueSize() / 2);
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> dropped) {
        mainLoop = null;
      }
    });
    learnMainLoopNow();
  }

  /**
   * Learns the main connection's I/O thread from one {@code PING}, waited for up to the reply
   * timeout, so that the first burst of gets is coalesced too. A failed or slow reply only
   * leaves the thread to be learned from the next one.
   */
  private void learnMainLoopNow() {
    AsyncCommand<String, byte[], String> ping = new AsyncCommand<>(Commands.ping());
    ping.whenComplete(this::learnMainLoop);
    connection.dispatch(ping);
    try {
      ping.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Learned later, from the first reply that completes.
    }
  }

  @Override
  public final Executor requestSender() {
    return requestSender;
  }

  /**
   * Runs a task on the main connection's I/O thread, where a command it dispatches is written
   * at once (from any other thread, Netty hands the write to that thread); on the caller's
   * thread until that thread is known.
   */
  private void sendSoon(Runnable task) {
    EventExecutor loop = mainLoop;
    if (loop == null) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  /** Learns the main connection's I/O thread from the thread a reply completes on. */
  private void learnMainLoop(Object reply, Throwable error) {
    if (error == null) {
      EventExecutor loop = ThreadExecutorMap.currentExecutor();
      if (loop != null && loop.inEventLoop()) {
        mainLoop = loop;
      }
    }
  }

  @Override
  public final CompletableFuture<Void> dispatch(BackendCall call,
      List<? extends Routed<?>> commands) {
    if (commands.size() > wave) {
      return inWaves(commands, part -> dispatch(call, part));
    }
    if (!onBulk(call)) {
      if (mainLoop == null && !commands.isEmpty()) {
        commands.get(0).result.whenComplete(this::learnMainLoop);
      }
      return send(connection, call, commands);
    }
    return bulk.get(timeout).handle((bulkConnection, error) -> {
      if (error != null) {
        commands.forEach(r -> r.result.completeExceptionally(error));
        return allOf(commands);
      }
      return send(bulkConnection, call, commands);
    }).thenCompose(sent -> sent);
  }

  @Override
  public final int keysPerCommand(BackendCall call, int max) {
    return onBulk(call) ? Math.min(max, BULK_KEYS_PER_COMMAND) : max;
  }

  /** Whether the call's commands go on the bulk connection: the one place that decides. */
  private boolean onBulk(BackendCall call) {
    return call.keyCount() > bulkThreshold;
  }

  /**
   * Writes one wave of commands on {@code on} (the main or the bulk connection) without waiting,
   * records its round trips and completes each {@link Routed#result}.
   *
   * @param on the connection
   * @param call the call the commands belong to
   * @param commands at most a wave of commands
   * @return completes when every command has its result; fails if any failed
   */
  abstract CompletableFuture<Void> send(K on, BackendCall call,
      List<? extends Routed<?>> commands);

  /** Completes when every command has its result; fails if any failed. */
  static CompletableFuture<Void> allOf(List<? extends Routed<?>> commands) {
    return CompletableFuture.allOf(commands.stream().map(r -> r.result)
        .toArray(CompletableFuture[]::new));
  }

  /**
   * Sends {@code commands} through {@code send} in consecutive waves, each after the previous one
   * completed (whether or not its commands failed).
   */
  private CompletableFuture<Void> inWaves(List<? extends Routed<?>> commands,
      Function<List<? extends Routed<?>>, CompletableFuture<Void>> send) {
    CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
    for (int from = 0; from < commands.size(); from += wave) {
      List<? extends Routed<?>> part = commands.subList(from,
          Math.min(commands.size(), from + wave));
      sent = sent.handle((ignored, error) -> null).thenCompose(ignored -> send.apply(part));
    }
    return sent.handle((ignored, error) -> null).thenCompose(ignored -> allOf(commands));
  }

  @Override
  public final StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return pubSub.get();
  }

  @Override
  public final CompletableFuture<StatefulRedisConnection<String, String>> connectTracking(
      RedisURI node, String clientName) {
    RedisURI named = RedisURI.builder(node).withClientName(clientName).build();
    return tracking.client().connectAsync(StringCodec.UTF8, named).toCompletableFuture();
  }

  @Override
  public final void addConnectionListener(RedisConnectionStateListener listener) {
    client.addListener(listener);
  }

  @Override
  public final CompletableFuture<String> ping() {
    AsyncCommand<String, byte[], String> ping = new AsyncCommand<>(Commands.ping());
    connection.dispatch(ping);
    return ping.toCompletableFuture();
  }

  @Override
  public final Set<String> scriptsRun() {
    return scriptsRun;
  }

  /** Closes the bulk connection and client, then the main connection and client. */
  @Override
  public void close() {
    tracking.close();
    bulk.close();
    bulkClient.close();
    connection.close();
    client.shutdown();
  }

  @Override
  public String toString() {
    return name + " " + client;
  }
}

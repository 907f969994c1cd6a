package io.kvstore.redis.internal.transport;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server, one multiplexed connection for ordinary calls: a batch is written with a single
 * {@code dispatch(Collection)}, which Lettuce writes and flushes together, so all its commands
 * share one round trip. Batches of more than {@code bulkThreshold} keys go on a second connection
 * with the same options, opened on the first such batch ({@link BulkConnection}), made by a
 * second client with an I/O thread of its own ({@link BulkIo}).
 */
public final class StandaloneTransport implements Transport {
  private final Set<String> scriptsRun = ConcurrentHashMap.newKeySet();
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final BulkIo<RedisClient> bulkClient;
  private final BulkConnection<StatefulRedisConnection<String, byte[]>> bulk;
  private final int bulkThreshold;
  private final Duration timeout;
  private final int wave;

  /**
   * Wraps an open connection.
   *
   * @param client the client that opened it
   * @param uri where the bulk connection connects
   * @param connection the main connection
   * @param options tuning
   */
  public StandaloneTransport(RedisClient client, RedisURI uri,
      StatefulRedisConnection<String, byte[]> connection, RedisKvOptions options) {
    this.client = client;
    this.connection = connection;
    this.bulkClient = new BulkIo<>(client.getResources(), resources -> {
      RedisClient c = RedisClient.create(resources, uri);
      c.setOptions(client.getOptions());
      return c;
    });
    this.bulk = new BulkConnection<>(
        () -> bulkClient.client().connectAsync(Transport.CODEC, uri).toCompletableFuture());
    this.bulkThreshold = options.bulkThreshold();
    this.timeout = options.timeout();
    this.wave = Transport.waveSize(options.requestQueueSize());
  }

  @Override
  public CompletableFuture<Void> dispatch(BackendCall call, List<? extends Routed<?>> commands) {
    if (commands.size() > wave) {
      return Transport.inWaves(commands, wave, part -> dispatch(call, part));
    }
    call.recordRoundTrip(1);
    if (call.keyCount() > bulkThreshold) {
      bulk.get(timeout).whenComplete((bulkConnection, error) -> {
        if (error != null) {
          commands.forEach(r -> r.result.completeExceptionally(error));
        } else {
          send(bulkConnection, commands);
        }
      });
    } else {
      send(connection, commands);
    }
    return CompletableFuture.allOf(commands.stream().map(r -> r.result)
        .toArray(CompletableFuture[]::new));
  }

  private static void send(StatefulRedisConnection<String, byte[]> on,
      List<? extends Routed<?>> commands) {
    List<RedisCommand<String, byte[], ?>> sent = new ArrayList<>(commands.size());
    for (Routed<?> routed : commands) {
      sent.add(routed.attempt());
    }
    on.dispatch(sent);
  }

  @Override
  public List<List<Integer>> groups(List<String> keys, int max) {
    List<Integer> all = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      all.add(i);
    }
    return Transport.chunks(all, max);
  }

  @Override
  public boolean ordersBatch() {
    return true;
  }

  @Override
  public String nodeOf(String routingKey) {
    return "";
  }

  @Override
  public int scanNodes() {
    return 1;
  }

  @Override
  public CompletableFuture<KeyScanCursor<String>> scan(int node, String cursor, String match,
      int count) {
    return connection.async()
        .scan(ScanCursor.of(cursor), ScanArgs.Builder.matches(match).limit(count))
        .toCompletableFuture();
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
    bulkClient.close();
    connection.close();
    client.shutdown();
  }

  @Override
  public String toString() {
    return "redis " + client;
  }
}

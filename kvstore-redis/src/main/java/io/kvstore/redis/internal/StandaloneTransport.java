package io.kvstore.redis.internal;

import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One server, one multiplexed connection: a batch is written with a single
 * {@code dispatch(Collection)}, which Lettuce writes and flushes together, so all its commands
 * share one round trip.
 */
final class StandaloneTransport implements Transport {
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final int wave;

  StandaloneTransport(RedisClient client, StatefulRedisConnection<String, byte[]> connection,
      int requestQueueSize) {
    this.client = client;
    this.connection = connection;
    this.wave = Transport.waveSize(requestQueueSize);
  }

  @Override
  public CompletableFuture<Void> dispatch(BackendCall call, List<? extends Routed<?>> commands) {
    if (commands.size() > wave) {
      return Transport.inWaves(commands, wave, part -> dispatch(call, part));
    }
    List<RedisCommand<String, byte[], ?>> sent = new ArrayList<>(commands.size());
    for (Routed<?> routed : commands) {
      sent.add(routed.attempt());
    }
    call.recordRoundTrip(1);
    connection.dispatch(sent);
    return CompletableFuture.allOf(commands.stream().map(r -> r.result)
        .toArray(CompletableFuture[]::new));
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
  public void close() {
    connection.close();
    client.shutdown();
  }

  @Override
  public String toString() {
    return "redis " + client;
  }
}

package io.kvstore.redis.internal.transport;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One server, one multiplexed connection for ordinary calls: a batch is written with a single
 * {@code dispatch(Collection)}, which Lettuce writes and flushes together, so all its commands
 * share one round trip. Batches of more than {@code bulkThreshold} keys go on a second connection
 * with the same options, opened on the first such batch ({@link BulkConnection}), made by a
 * second client with an I/O thread of its own ({@link BulkIo}); both are {@link
 * AbstractTransport}'s.
 */
public final class StandaloneTransport
    extends AbstractTransport<RedisClient, StatefulRedisConnection<String, byte[]>> {
  private final RedisURI uri;

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
    super("redis", client, connection, () -> client.connectPubSub(StringCodec.UTF8),
        resources -> {
          RedisClient c = RedisClient.create(resources, uri);
          c.setOptions(client.getOptions());
          return c;
        },
        bulkClient -> bulkClient.connectAsync(Commands.CODEC, uri),
        options);
    this.uri = uri;
  }

  @Override
  public List<RedisURI> trackingNodes() {
    return List.of(uri);
  }

  @Override
  CompletableFuture<Void> send(StatefulRedisConnection<String, byte[]> on, BackendCall call,
      List<? extends Routed<?>> commands) {
    call.recordRoundTrip(1);
    List<RedisCommand<String, byte[], ?>> sent = new ArrayList<>(commands.size());
    for (Routed<?> routed : commands) {
      sent.add(routed.attempt());
    }
    on.dispatch(sent);
    return allOf(commands);
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
}

package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Raw Lettuce: async MGET on one connection, then the shared decode. The baseline. */
final class LettuceFetcher implements Fetcher {
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> async;
  private final String[] keys;

  LettuceFetcher(String uri, List<String> redisKeys) {
    this.client = RedisClient.create(uri);
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.async = connection.async();
    this.keys = redisKeys.toArray(String[]::new);
  }

  @Override
  public Collection<WorkoutCompletion> fetch() {
    List<KeyValue<String, byte[]>> values = async.mget(keys).toCompletableFuture().join();
    List<WorkoutCompletion> out = new ArrayList<>(values.size());
    for (KeyValue<String, byte[]> kv : values) {
      if (kv.hasValue()) {
        out.add(Client.CODEC.decode(kv.getValue()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}

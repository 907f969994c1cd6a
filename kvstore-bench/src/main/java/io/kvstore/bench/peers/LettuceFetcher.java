package io.kvstore.bench.peers;

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

/** Raw Lettuce: async MGET on one connection, then the plain mapper (or no decode at all). */
final class LettuceFetcher implements Fetcher {
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> async;
  private final String[] keys;
  private final boolean decode;

  LettuceFetcher(String uri, List<String> redisKeys, boolean decode) {
    this.client = RedisClient.create(uri);
    this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.async = connection.async();
    this.keys = redisKeys.toArray(String[]::new);
    this.decode = decode;
  }

  @Override
  public Collection<?> fetch() {
    List<KeyValue<String, byte[]>> values = async.mget(keys).toCompletableFuture().join();
    List<Object> out = new ArrayList<>(values.size());
    for (KeyValue<String, byte[]> kv : values) {
      if (kv.hasValue()) {
        out.add(decode ? Client.decode(kv.getValue()) : kv.getValue());
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

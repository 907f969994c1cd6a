package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

/**
 * Jedis 7's {@code RedisClient} (a pool of up to 8 connections): a pipeline of GETs, or one MGET.
 */
final class JedisFetcher implements Fetcher {
  private final RedisClient client;
  private final byte[][] keys;
  private final boolean pipeline;

  JedisFetcher(String host, int port, List<String> redisKeys, boolean pipeline) {
    this.client = RedisClient.create(host, port);
    this.keys = redisKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
    this.pipeline = pipeline;
  }

  @Override
  public Collection<WorkoutCompletion> fetch() {
    List<WorkoutCompletion> out = new ArrayList<>(keys.length);
    if (pipeline) {
      List<Response<byte[]>> replies = new ArrayList<>(keys.length);
      try (Pipeline p = client.pipelined()) {
        for (byte[] key : keys) {
          replies.add(p.get(key));
        }
        p.sync();
      }
      for (Response<byte[]> reply : replies) {
        byte[] value = reply.get();
        if (value != null) {
          out.add(Client.decode(value));
        }
      }
    } else {
      for (byte[] value : client.mget(keys)) {
        if (value != null) {
          out.add(Client.decode(value));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    client.close();
  }
}

package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Jedis from a pool (8 connections): a pipeline of GETs, or one MGET. */
final class JedisFetcher implements Fetcher {
  private final JedisPool pool;
  private final byte[][] keys;
  private final boolean pipeline;

  JedisFetcher(String host, int port, List<String> redisKeys, boolean pipeline) {
    JedisPoolConfig config = new JedisPoolConfig();
    config.setMaxTotal(8);
    this.pool = new JedisPool(config, host, port);
    this.keys = redisKeys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
    this.pipeline = pipeline;
  }

  @Override
  public Collection<WorkoutCompletion> fetch() {
    List<WorkoutCompletion> out = new ArrayList<>(keys.length);
    try (Jedis jedis = pool.getResource()) {
      if (pipeline) {
        Pipeline p = jedis.pipelined();
        List<Response<byte[]>> replies = new ArrayList<>(keys.length);
        for (byte[] key : keys) {
          replies.add(p.get(key));
        }
        p.sync();
        for (Response<byte[]> reply : replies) {
          byte[] value = reply.get();
          if (value != null) {
            out.add(Client.CODEC.decode(value));
          }
        }
      } else {
        for (byte[] value : jedis.mget(keys)) {
          if (value != null) {
            out.add(Client.CODEC.decode(value));
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    pool.close();
  }
}

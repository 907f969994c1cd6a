package io.kvstore.bench.rmw;

import io.kvstore.CounterOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.redis.RedisKvStore;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The counter clients, as a JMH {@code @Param}: one increment of one counter with a one-day TTL
 * set when it is created, as each client's user writes it. Thread-safe.
 */
public enum Counter {
  /** kvstore {@code increment} on a namespace with a fixed one-day TTL: one Lua script. */
  KVSTORE {
    @Override
    Handle open(String uri) {
      KvStore store = RedisKvStore.connect(uri);
      KvNamespace<Long> ns = store.namespace(NamespaceOptions
          .builder("counter", KvCodec.json(Long.class)).ttl(TtlPolicy.fixed(TTL)).build());
      return handle(key -> ns.blocking().increment(key, 1), store::close);
    }
  },
  /** kvstore bounded {@code increment} (at most {@code Long.MAX_VALUE - 1}: never refused). */
  KVSTORE_BOUNDED {
    @Override
    Handle open(String uri) {
      KvStore store = RedisKvStore.connect(uri);
      KvNamespace<Long> ns = store.namespace(NamespaceOptions
          .builder("counter", KvCodec.json(Long.class)).ttl(TtlPolicy.fixed(TTL)).build());
      CounterOptions bound = CounterOptions.atMost(Long.MAX_VALUE - 1);
      return handle(key -> ns.blocking().increment(key, 1, bound).value(), store::close);
    }
  },
  /** Lettuce async {@code INCRBY} and {@code EXPIRE ... NX} pipelined: one round trip. */
  LETTUCE_INCRBY_EXPIRE {
    @Override
    Handle open(String uri) {
      RedisClient client = RedisClient.create(uri);
      StatefulRedisConnection<String, String> connection = client.connect();
      RedisAsyncCommands<String, String> async = connection.async();
      ExpireArgs nx = ExpireArgs.Builder.nx();
      return handle(key -> {
        RedisFuture<Long> value = async.incrby(key, 1);
        async.expire(key, TTL, nx);
        return value.toCompletableFuture().join();
      }, () -> {
        connection.close();
        client.shutdown();
      });
    }
  },
  /** Redisson {@code RAtomicLong.addAndGet} (no TTL: Redisson's counter sets none). */
  REDISSON_ATOMIC_LONG {
    @Override
    Handle open(String uri) {
      Config config = new Config();
      config.useSingleServer().setAddress(uri);
      RedissonClient client = Redisson.create(config);
      return handle(key -> {
        RAtomicLong counter = client.getAtomicLong(key);
        return counter.addAndGet(1);
      }, client::shutdown);
    }
  };

  static final Duration TTL = Duration.ofDays(1);

  /** An open client. */
  interface Handle extends AutoCloseable {
    /** Increments the counter at {@code key} by one and returns its value. */
    long increment(String key);

    @Override
    void close();
  }

  abstract Handle open(String uri);

  private static Handle handle(ToLongFunction<String> increment,
      Runnable close) {
    return new Handle() {
      @Override
      public long increment(String key) {
        return increment.applyAsLong(key);
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }
}

package io.kvstore.bench.rmw;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.UpdateOptions;
import io.kvstore.redis.RedisKvStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The update clients, as a JMH {@code @Param}: one safe read-modify-write of a JSON summary
 * (one more completion), retried until it wins, as each client's user writes it. Thread-safe.
 */
public enum Updater {
  /** kvstore {@code update}: a versioned read and a Lua compare-and-set per attempt. */
  KVSTORE {
    @Override
    Handle open(String uri) {
      return kvstore(uri, false);
    }
  },
  /**
   * kvstore {@code update} with a near cache. An update drops the key's cached copy (as every
   * write does), so in this update-only loop there is never a copy to guess from: the row shows
   * what a near cache costs a write-heavy key. The one-round-trip guess pays where a key is read
   * between its updates (see {@code UpdateFromNearCacheTest} for the round trips).
   */
  KVSTORE_NEAR_CACHE {
    @Override
    Handle open(String uri) {
      return kvstore(uri, true);
    }
  },
  /** Lettuce sync {@code WATCH}, {@code GET}, {@code MULTI}, {@code SET}, {@code EXEC}. */
  LETTUCE_WATCH_MULTI {
    @Override
    Handle open(String uri) {
      RedisClient client = RedisClient.create(uri);
      Queue<StatefulRedisConnection<String, String>> opened = new ConcurrentLinkedQueue<>();
      // WATCH belongs to a connection: each thread needs its own.
      ThreadLocal<RedisCommands<String, String>> commands = ThreadLocal.withInitial(() -> {
        StatefulRedisConnection<String, String> c = client.connect();
        opened.add(c);
        return c.sync();
      });
      return handle(key -> {
        RedisCommands<String, String> c = commands.get();
        while (true) {
          c.watch(key);
          String next = Summary.next(c.get(key));
          c.multi();
          c.set(key, next);
          TransactionResult result = c.exec();
          if (!result.wasDiscarded()) {
            return;
          }
        }
      }, () -> {
        opened.forEach(StatefulRedisConnection::close);
        client.shutdown();
      });
    }
  },
  /** Lettuce {@code GET}, then a Lua compare-and-set ({@code EVALSHA}) until it applies. */
  LETTUCE_LUA_CAS {
    @Override
    Handle open(String uri) {
      RedisClient client = RedisClient.create(uri);
      StatefulRedisConnection<String, String> connection = client.connect();
      RedisCommands<String, String> c = connection.sync();
      String sha = c.scriptLoad("local v = redis.call('GET', KEYS[1])"
          + " if (v or '') == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end"
          + " return 0");
      return handle(key -> {
        while (true) {
          String current = c.get(key);
          Long applied = c.evalsha(sha, ScriptOutputType.INTEGER, new String[] {key},
              current == null ? "" : current, Summary.next(current));
          if (applied == 1) {
            return;
          }
        }
      }, () -> {
        connection.close();
        client.shutdown();
      });
    }
  },
  /** Redisson {@code RBucket.get}, then {@code compareAndSet} until it applies. */
  REDISSON_COMPARE_AND_SET {
    @Override
    Handle open(String uri) {
      Config config = new Config();
      config.useSingleServer().setAddress(uri);
      RedissonClient client = Redisson.create(config);
      return handle(key -> {
        RBucket<String> bucket = client.getBucket(key, StringCodec.INSTANCE);
        while (true) {
          String current = bucket.get();
          if (bucket.compareAndSet(current, Summary.next(current))) {
            return;
          }
        }
      }, client::shutdown);
    }
  };

  /** An open client. */
  interface Handle extends AutoCloseable {
    /** Adds one completion to the summary at {@code key}. */
    void update(String key);

    @Override
    void close();
  }

  abstract Handle open(String uri);

  private static Handle kvstore(String uri, boolean nearCache) {
    KvStore store = RedisKvStore.connect(uri);
    NamespaceOptions.Builder<Summary> options = NamespaceOptions.builder("summary",
        Summary.class);
    if (nearCache) {
      options.nearCache(NearCacheOptions.builder().build());
    }
    KvNamespace<Summary> ns = store.namespace(options.build());
    // Contended runs retry far more than the default allows; no backoff, as the peers' loops.
    UpdateOptions retries = UpdateOptions.builder().maxAttempts(1000)
        .backoff(Duration.ZERO, Duration.ZERO).build();
    return handle(key -> ns.blocking().update(key,
        current -> Optional.of(current.orElse(new Summary(0, 0)).next()), retries),
        store::close);
  }

  private static Handle handle(Consumer<String> update, Runnable close) {
    return new Handle() {
      @Override
      public void update(String key) {
        update.accept(key);
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }
}

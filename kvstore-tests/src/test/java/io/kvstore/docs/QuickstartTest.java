package io.kvstore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvStore;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's quickstart and docs/redis.md run as written, on the embedded store and on a real Redis. */
class QuickstartTest {
  @RegisterExtension static RedisExtension redis = RedisExtension.server();

  @Test
  void theQuickstartRunsOnTheEmbeddedStore() {
    assertEquals("2 read, 2 listed, day 1 done", run());
  }

  @Test
  void theQuickstartRunsOnRedis() {
    assertEquals("2 read, 2 listed, day 1 done", run(redis.uri()));
  }

  @Test
  void theRedisPageConnectsAsWritten() {
    String uri = redis.uri();
    // tag::redis[]
    KvStore store = RedisKvStore.connect(uri, RedisKvOptions.builder()   // uri: redis://host:6379
        .timeout(Duration.ofSeconds(2))              // reply timeout of each command
        .connectTimeout(Duration.ofSeconds(2))
        .build());
    // a Cluster: RedisKvStore.connectCluster(List.of("redis://h1:7000", "redis://h2:7000"), options)
    // end::redis[]
    try (store) {
      store.ping().join();
    }
  }

  private static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Quickstart.main(args);
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8).strip();
  }
}

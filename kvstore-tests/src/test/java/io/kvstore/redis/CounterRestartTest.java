package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testing.ConcurrentCounters;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 8 threads x 500 increments of one counter while Redis is killed and restarted once, halfway.
 * Redis runs with {@code appendfsync always}, so an acknowledged increment survives the kill.
 * An increment that failed may have been applied or not (it was in flight, or timed out); a
 * counter has no per-increment id to tell which afterwards, so the property is a range: the
 * final value is at least the acknowledged increments and at most those plus the failed ones
 * whose outcome is unknown. Failures known not to be applied (nothing was sent, an error reply)
 * do not count; a failure the adapter does not say was unsent is counted as unknown, so the
 * upper bound is conservative. A thread pauses 20 ms after a failure, as a client backs off.
 */
class CounterRestartTest {
  @Test
  void noAcknowledgedIncrementIsLostAndNoneCountsTwice() throws Exception {
    try (RedisServer server = RedisServer.start(List.of("--appendonly", "yes",
        "--appendfsync", "always"));
        KvStore store = RedisKvStore.connect(server.uri(), RedisKvOptions.builder()
            .timeout(Duration.ofSeconds(1)).build())) {
      KvNamespace<Long> ns = store.namespace(
          NamespaceOptions.builder("counter", KvCodec.json(Long.class)).build());
      ConcurrentCounters.Run run = ConcurrentCounters.incrementThrough(ns, "n", () -> {
        server.kill();
        Thread.sleep(300);
        server.restart();
      });
      Awaits.until("the store reconnects", () -> {
        try {
          ns.blocking().get("n");
          return true;
        } catch (KvException e) {
          return false;
        }
      });
      long value = ns.blocking().get("n").orElseThrow();
      System.out.printf("COUNTER RESTART: %d acknowledged, %d unknown, %d not applied,"
          + " final %d%n", run.applied(), run.unknown(), run.failed(), value);
      assertEquals(ConcurrentCounters.EXPECTED, run.applied() + run.unknown() + run.failed());
      assertTrue(value >= run.applied(), "an acknowledged increment was lost: " + run);
      assertTrue(value <= run.applied() + run.unknown(), "an increment counted twice: " + run);
      assertTrue(run.applied() > ConcurrentCounters.EXPECTED / 2, "increments resumed: " + run);
    }
  }
}

package io.kvstore.testkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvRoundTripBudget;
import io.kvstore.testkit.MaxRoundTrips;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension on {@code redis-server} from PATH: a store, round-trip budgets, a server that
 * dies mid-test, cleaning up after a failed test, and failing (never skipping) without Redis.
 */
class PathRedisTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server().withSources(RedisSource.PATH);

  @RegisterExtension
  final KvRoundTripBudget budget = KvRoundTripBudget.of(REDIS::store);

  @Test
  @MaxRoundTrips(2)
  void givesAStoreOnARedisServerProcessFromPath() {
    assertEquals(RedisSource.PATH, REDIS.source());
    assertEquals("PATH", REDIS.process().binary().source());
    assertTrue(REDIS.uri().startsWith("redis://127.0.0.1:"), REDIS.uri());
    KvNamespace<String> names = REDIS.store().namespace(
        NamespaceOptions.builder("path-test", KvCodec.utf8()).build());
    names.blocking().putAll(Map.of("a", "1", "b", "2"));
    assertEquals(Map.of("a", "1", "b", "2"), names.blocking().getAll(List.of("a", "b", "c")));
  }

  @Test
  void flushAllEmptiesTheServer() {
    KvNamespace<String> names = REDIS.store().namespace(
        NamespaceOptions.builder("flush-test", KvCodec.utf8()).build());
    names.blocking().put("k", "v");
    REDIS.flushAll();
    assertFalse(names.blocking().get("k").isPresent());
  }

  @Test
  void aServerThatDiesDuringATestFailsThatTest() {
    EngineExecutionResults results = ExtensionRuns.run(DiesMidTest.class);
    results.testEvents().assertStatistics(s -> s.started(1).failed(1).succeeded(0).skipped(0));
    String message = ExtensionRuns.failures(results).get(0);
    assertTrue(message.matches("Redis redis-server 7\\.\\d+\\.\\d+ \\(PATH\\) on port \\d+ stopped"
        + " during killsItsServer\\(\\)"), message);
  }

  @Test
  void whatWasStartedIsStoppedAfterAFailedTest() {
    EngineExecutionResults results = ExtensionRuns.run(FailingTest.class);
    results.testEvents().assertStatistics(s -> s.failed(1));
    assertEquals(List.of("the test fails on purpose"), ExtensionRuns.failures(results));
    assertFalse(answers(FailingTest.port), "port " + FailingTest.port + " still answers");
  }

  @Test
  void withNoSourceAvailableTheClassFailsAndNothingIsSkipped() {
    EngineExecutionResults results = ExtensionRuns.run(NoRedisTest.class);
    results.testEvents().assertStatistics(s -> s.started(0).skipped(0));
    results.containerEvents().assertStatistics(s -> s.failed(1));
    String message = ExtensionRuns.failures(results).get(0);
    assertTrue(message.startsWith("no Redis for the test; tried uri:"), message);
  }

  @Test
  void aClusterOfProcessesServesEverySlot() {
    EngineExecutionResults results = ExtensionRuns.run(ClusterTest.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void settersRejectBadInput() {
    assertThrows(IllegalArgumentException.class, () -> RedisExtension.server().withSources());
    assertThrows(IllegalArgumentException.class, () -> RedisExtension.server().withImage(" "));
    IllegalStateException outside = assertThrows(IllegalStateException.class,
        () -> RedisExtension.server().uri());
    assertTrue(outside.getMessage().startsWith("Redis is not running: register the"
        + " RedisExtension on a static @RegisterExtension field"), outside.getMessage());
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Run by {@link #aServerThatDiesDuringATestFailsThatTest}, not by the build. */
  static class DiesMidTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.server().withSources(RedisSource.PATH);

    @Test
    void killsItsServer() {
      REDIS.process().kill();
    }
  }

  /** Run by {@link #whatWasStartedIsStoppedAfterAFailedTest}, not by the build. */
  static class FailingTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.server().withSources(RedisSource.PATH);
    static volatile int port;

    @Test
    void fails() {
      port = REDIS.process().port();
      throw new AssertionError("the test fails on purpose");
    }
  }

  /** Run by {@link #withNoSourceAvailableTheClassFailsAndNothingIsSkipped}, not by the build. */
  static class NoRedisTest {
    // The build sets no KVSTORE_TEST_REDIS, so the only source is not available.
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.server().withSources(RedisSource.URI);

    @Test
    void neverRuns() {
      throw new AssertionError("ran without Redis");
    }
  }

  /** Run by {@link #aClusterOfProcessesServesEverySlot}, not by the build. */
  static class ClusterTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.cluster().withSources(RedisSource.PATH);

    @Test
    void keysOnEveryMasterAreReadBackInOneCall() {
      assertEquals(3, REDIS.clusterUris().size());
      assertEquals(3, REDIS.redisCluster().masters().size());
      KvNamespace<String> names = REDIS.store().namespace(
          NamespaceOptions.builder("cluster-test", KvCodec.utf8()).build());
      Map<String, String> values = Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
      names.blocking().putAll(values);
      assertEquals(values, names.blocking().getAll(values.keySet()));
    }
  }
}

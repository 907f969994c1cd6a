package io.kvstore.testkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvRoundTripBudget;
import io.kvstore.testkit.MaxRoundTrips;
import io.kvstore.testkit.redis.internal.Resp;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension on Testcontainers: the store, a budget, and a container that dies mid-test.
 * Selected by {@code -Pdocker}; fails, never skips, without a Docker engine.
 */
@Tag("docker")
class ContainerRedisTest {
  @RegisterExtension
  static final RedisExtension REDIS =
      RedisExtension.server().withSources(RedisSource.TESTCONTAINERS);

  @RegisterExtension
  final KvRoundTripBudget budget = KvRoundTripBudget.of(REDIS::store);

  @Test
  @MaxRoundTrips(2)
  void givesAStoreOnRedisInAContainer() {
    assertEquals(RedisSource.TESTCONTAINERS, REDIS.source());
    assertThrows(IllegalStateException.class, REDIS::process);
    KvNamespace<String> names = REDIS.store().namespace(
        NamespaceOptions.builder("container-test", KvCodec.utf8()).build());
    names.blocking().putAll(Map.of("a", "1", "b", "2"));
    assertEquals(Map.of("a", "1"), names.blocking().getAll(List.of("a", "z")));
  }

  @Test
  void withHostNetworkingTheServerListensOnLoopbackOnly() throws IOException {
    URI uri = URI.create(REDIS.uri());
    try (Resp resp = new Resp(uri.getHost(), uri.getPort())) {
      Object bind = resp.call("CONFIG", "GET", "bind");
      if ("127.0.0.1".equals(uri.getHost())) {
        assertEquals(List.of("bind", "127.0.0.1"), bind);
      } else {
        // Bridge network: the server binds inside its container, Docker maps the port.
        assertTrue(bind instanceof List<?>, String.valueOf(bind));
      }
    }
  }

  @Test
  void aContainerThatDiesDuringATestFailsThatTest() {
    EngineExecutionResults results = ExtensionRuns.run(DiesMidTest.class);
    results.testEvents().assertStatistics(s -> s.started(1).failed(1).skipped(0));
    String message = ExtensionRuns.failures(results).get(0);
    assertTrue(message.startsWith("Redis container "), message);
    assertTrue(message.contains(" stopped; its log ends: "), message);
    assertTrue(message.endsWith(" during shutsItsServerDown()"), message);
  }

  /** Run by {@link #aContainerThatDiesDuringATestFailsThatTest}, not by the build. */
  static class DiesMidTest {
    @RegisterExtension
    static final RedisExtension REDIS =
        RedisExtension.server().withSources(RedisSource.TESTCONTAINERS);

    @Test
    void shutsItsServerDown() throws Exception {
      URI uri = URI.create(REDIS.uri());
      try (Resp resp = new Resp(uri.getHost(), uri.getPort())) {
        resp.call("SHUTDOWN", "NOSAVE");
      } catch (RuntimeException closedWhileReplying) {
        // SHUTDOWN closes the connection instead of answering.
      }
      // Returns once the server is gone, so that the extension's check after the test sees it.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline && answers(uri)) {
        Thread.sleep(100);
      }
    }

    private static boolean answers(URI uri) {
      try (Resp resp = new Resp(uri.getHost(), uri.getPort())) {
        return "PONG".equals(resp.call("PING"));
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
  }
}

package io.kvstore.testkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.NamespaceOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension on an existing server named by {@code KVSTORE_TEST_REDIS} (here its system
 * property, pointing at a server this class starts): used as it is, flushed on request, never
 * stopped.
 */
class UriRedisTest {
  private static final RedisServer EXISTING = existing();

  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static RedisServer existing() {
    RedisServer server = RedisServer.start();
    System.setProperty("kvstore.test.redis", server.uri());
    return server;
  }

  @AfterAll
  static void stopTheExistingServer() {
    System.clearProperty("kvstore.test.redis");
    EXISTING.close();
  }

  @Test
  void theUriComesFirstAndIsUsedAsItIs() {
    assertEquals(RedisSource.URI, REDIS.source());
    assertEquals(EXISTING.uri(), REDIS.uri());
    assertEquals(List.of(EXISTING.uri()), REDIS.clusterUris());
    assertThrows(IllegalStateException.class, REDIS::process);
  }

  @Test
  void theStoreWritesToTheExistingServerAndFlushAllEmptiesIt() {
    KvNamespace<String> names = REDIS.store().namespace(
        NamespaceOptions.builder("uri-test", KvCodec.utf8()).build());
    names.blocking().putAll(Map.of("a", "1", "b", "2"));
    assertEquals("1", EXISTING.call("GET", "uri-test:a"));
    REDIS.flushAll();
    assertEquals(0L, EXISTING.call("DBSIZE"));
    assertFalse(names.blocking().get("a").isPresent());
  }

  @Test
  void anExistingServerIsNotStoppedAfterItsClass() {
    EngineExecutionResults results = ExtensionRuns.run(UsesTheUri.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertTrue(EXISTING.isAlive());
    assertEquals("PONG", EXISTING.call("PING"));
  }

  /** Run by {@link #anExistingServerIsNotStoppedAfterItsClass}, not by the build. */
  static class UsesTheUri {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.server();

    @Test
    void seesTheExistingServer() {
      assertEquals(EXISTING.uri(), REDIS.uri());
    }
  }
}

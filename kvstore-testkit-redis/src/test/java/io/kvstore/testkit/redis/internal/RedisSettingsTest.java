package io.kvstore.testkit.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testkit.redis.RedisSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the extension reads its settings, and the one message when no source is available. */
class RedisSettingsTest {
  private static RedisSettings settings(Map<String, String> values) {
    return RedisSettings.from(values::get);
  }

  @Test
  void byDefaultTheUriThenDockerThenPathThenTheShippedBinary() {
    RedisSettings defaults = settings(Map.of());
    assertEquals(List.of(RedisSource.URI, RedisSource.TESTCONTAINERS, RedisSource.PATH,
        RedisSource.SHIPPED), defaults.sources());
    assertEquals("redis:7.4", defaults.image());
    assertFalse(defaults.hostNetwork());
    assertEquals(null, defaults.uri());
    assertEquals(List.of(), defaults.clusterUris());
  }

  @Test
  void everySettingIsRead() {
    RedisSettings read = settings(Map.of("KVSTORE_TEST_REDIS", " redis://10.0.0.1:6379 ",
        "KVSTORE_TEST_REDIS_CLUSTER", "redis://a:7000, redis://b:7001",
        "KVSTORE_TEST_REDIS_SOURCES", "path, SHIPPED",
        "KVSTORE_TEST_REDIS_IMAGE", "kvstore/redis-local:7.0.15",
        "KVSTORE_TEST_REDIS_NETWORK", "host", "PATH", "/opt/redis/bin"));
    assertEquals("redis://10.0.0.1:6379", read.uri());
    assertEquals(List.of("redis://a:7000", "redis://b:7001"), read.clusterUris());
    assertEquals(List.of(RedisSource.PATH, RedisSource.SHIPPED), read.sources());
    assertEquals("kvstore/redis-local:7.0.15", read.image());
    assertTrue(read.hostNetwork());
    assertEquals("/opt/redis/bin", read.searchPath());
  }

  @Test
  void unknownSourcesAndNetworksAreRejectedNamingTheChoices() {
    IllegalArgumentException source = assertThrows(IllegalArgumentException.class,
        () -> settings(Map.of("KVSTORE_TEST_REDIS_SOURCES", "docker")));
    assertEquals("KVSTORE_TEST_REDIS_SOURCES names 'docker'; use a comma-separated list of uri,"
        + " testcontainers, path, shipped", source.getMessage());
    IllegalArgumentException network = assertThrows(IllegalArgumentException.class,
        () -> settings(Map.of("KVSTORE_TEST_REDIS_NETWORK", "overlay")));
    assertEquals("KVSTORE_TEST_REDIS_NETWORK is 'overlay'; use host or bridge",
        network.getMessage());
  }

  @Test
  void withNothingAvailableOneMessageSaysWhatWasTriedAndHowToFixIt() {
    RedisSettings nothing = settings(Map.of("KVSTORE_TEST_REDIS_SOURCES", "uri,path",
        "PATH", "/nonexistent-kvstore-dir"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RunningRedis.start(nothing, 0));
    assertTrue(e.getMessage().startsWith("no Redis for the test; tried uri: KVSTORE_TEST_REDIS"
        + " is not set; path: no redis-server in PATH. Fix one of: start a Docker engine"),
        e.getMessage());
    IllegalStateException cluster = assertThrows(IllegalStateException.class,
        () -> RunningRedis.start(nothing, 3));
    assertTrue(cluster.getMessage().startsWith("no Redis Cluster for the test; tried uri:"
        + " KVSTORE_TEST_REDIS_CLUSTER is not set;"), cluster.getMessage());
  }

  @Test
  void aClusterInContainersNeedsHostNetworking() {
    RedisSettings bridge = settings(Map.of("KVSTORE_TEST_REDIS_SOURCES", "testcontainers"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RunningRedis.start(bridge, 3));
    assertTrue(e.getMessage().contains("tried testcontainers: a Cluster in containers needs host"
        + " networking (KVSTORE_TEST_REDIS_NETWORK=host)"), e.getMessage());
  }
}

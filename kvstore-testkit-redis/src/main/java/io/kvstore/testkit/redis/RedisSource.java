package io.kvstore.testkit.redis;

/**
 * Where {@link RedisExtension} gets its Redis from, in the default order of preference.
 */
public enum RedisSource {
  /** An existing server (or Cluster) named by {@code KVSTORE_TEST_REDIS} (or {@code _CLUSTER}). */
  URI,
  /** A container started with Testcontainers, when a Docker engine answers. */
  TESTCONTAINERS,
  /** A {@code redis-server} process from the first PATH directory that has one. */
  PATH,
  /** A {@code redis-server} process from the binary that {@code embedded-redis} ships. */
  SHIPPED
}

package io.kvstore.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Which Redis the properties name, and that credentials never reach descriptions. */
class RedisTargetTest {
  private static Optional<RedisTarget> resolve(Map<String, String> properties) {
    Binder binder = new Binder(new MapConfigurationPropertySource(properties));
    KvStoreProperties bound = binder.bindOrCreate("kvstore", KvStoreProperties.class);
    return RedisTarget.resolve(bound.redis(), binder);
  }

  @Test
  void nothingConfiguredMeansNoRedis() {
    assertThat(resolve(Map.of())).isEmpty();
    assertThat(resolve(Map.of("kvstore.redis.uri", " "))).isEmpty();
  }

  @Test
  void springDataHostPortCredentialsSslAndDatabaseMakeOneUri() {
    RedisTarget target = resolve(Map.of(
        "spring.data.redis.host", "cache.internal",
        "spring.data.redis.port", "6380",
        "spring.data.redis.database", "2",
        "spring.data.redis.username", "app",
        "spring.data.redis.password", "p@ss w:rd/é",
        "spring.data.redis.ssl.enabled", "true")).orElseThrow();

    assertThat(target.uris())
        .containsExactly("rediss://app:p%40ss%20w%3Ard%2F%C3%A9@cache.internal:6380/2");
    assertThat(target.property()).isEqualTo("spring.data.redis.host");
    assertThat(target.describe()).isEqualTo("redis cache.internal:6380").doesNotContain("p%40ss");
  }

  @Test
  void springDataClusterNodesBecomeSeedUris() {
    RedisTarget target = resolve(Map.of(
        "spring.data.redis.cluster.nodes", "h1:7000,h2:7001",
        "spring.data.redis.password", "secret")).orElseThrow();

    assertThat(target.cluster()).isTrue();
    assertThat(target.uris()).containsExactly("redis://:secret@h1:7000", "redis://:secret@h2:7001");
    assertThat(target.describe()).isEqualTo("redis-cluster h1:7000,h2:7001");
    assertThat(target.kind()).isEqualTo("redis-cluster");
  }

  @Test
  void kvstorePropertiesWinOverSpringData() {
    RedisTarget target = resolve(Map.of(
        "kvstore.redis.uri", "redis://user:secret@kv:6379",
        "spring.data.redis.url", "redis://other:6379",
        "spring.data.redis.cluster.nodes", "h1:7000")).orElseThrow();

    assertThat(target.uris()).containsExactly("redis://user:secret@kv:6379");
    assertThat(target.property()).isEqualTo("kvstore.redis.uri");
    assertThat(target.describe()).isEqualTo("redis kv:6379");

    RedisTarget cluster = resolve(Map.of("kvstore.redis.cluster.nodes", "redis://a:1,redis://b:2",
        "spring.data.redis.url", "redis://other:6379")).orElseThrow();
    assertThat(cluster.uris()).isEqualTo(List.of("redis://a:1", "redis://b:2"));
    assertThat(cluster.property()).isEqualTo("kvstore.redis.cluster.nodes");
  }
}

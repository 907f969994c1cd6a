package io.kvstore.spring.boot.autoconfigure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Where the Redis store connects, and which property said so. kvstore's own properties win:
 * {@code kvstore.redis.cluster.nodes} or {@code kvstore.redis.uri} when set; otherwise Spring Data
 * Redis's connection properties, so an application that already talks to Redis needs no second
 * setting: {@code spring.data.redis.cluster.nodes}, then {@code spring.data.redis.url}, then
 * {@code spring.data.redis.host}/{@code port}/{@code database}, each with
 * {@code spring.data.redis.username}/{@code password}/{@code ssl.enabled} where the URL does not
 * carry them. Values are never logged: {@link #describe()} shows hosts and ports only.
 *
 * @param cluster whether {@code uris} are the seed nodes of a Redis Cluster
 * @param uris the URIs to connect to
 * @param property the property they came from, named in log lines and start-up failures
 */
record RedisTarget(boolean cluster, List<String> uris, String property) {

  /**
   * Finds the Redis connection the properties describe.
   *
   * @param redis kvstore's Redis properties
   * @param binder the environment, for {@code spring.data.redis.*}
   * @return the target, or empty when no Redis connection property is set
   */
  static Optional<RedisTarget> resolve(KvStoreProperties.Redis redis, Binder binder) {
    if (!redis.cluster().nodes().isEmpty()) {
      return Optional.of(new RedisTarget(true, redis.cluster().nodes(),
          "kvstore.redis.cluster.nodes"));
    }
    if (redis.uri() != null && !redis.uri().isBlank()) {
      return Optional.of(new RedisTarget(false, List.of(redis.uri()), "kvstore.redis.uri"));
    }
    String prefix = "spring.data.redis.";
    Optional<String> username = optional(binder.bind(prefix + "username", String.class));
    Optional<String> password = optional(binder.bind(prefix + "password", String.class));
    boolean ssl = binder.bind(prefix + "ssl.enabled", Boolean.class).orElse(false);
    List<String> nodes = binder.bind(prefix + "cluster.nodes", Bindable.listOf(String.class))
        .orElse(List.of());
    if (!nodes.isEmpty()) {
      List<String> uris = nodes.stream()
          .map(node -> uri(ssl, username, password, node, 0))
          .collect(Collectors.toUnmodifiableList());
      return Optional.of(new RedisTarget(true, uris, prefix + "cluster.nodes"));
    }
    Optional<String> url = optional(binder.bind(prefix + "url", String.class));
    if (url.isPresent()) {
      return Optional.of(new RedisTarget(false, List.of(url.get()), prefix + "url"));
    }
    Optional<String> host = optional(binder.bind(prefix + "host", String.class));
    Optional<Integer> port = optional(binder.bind(prefix + "port", Integer.class));
    if (host.isEmpty() && port.isEmpty()) {
      return Optional.empty();
    }
    int database = binder.bind(prefix + "database", Integer.class).orElse(0);
    return Optional.of(new RedisTarget(false, List.of(uri(ssl, username, password,
        host.orElse("localhost") + ":" + port.orElse(6379), database)), prefix + "host"));
  }

  /**
   * Returns the hosts and ports, without credentials, for log lines and health details.
   *
   * @return such as {@code redis 127.0.0.1:6379} or {@code redis-cluster h1:7000,h2:7000}
   */
  String describe() {
    return (cluster ? "redis-cluster " : "redis ")
        + uris.stream().map(RedisTarget::hostAndPort).collect(Collectors.joining(","));
  }

  /**
   * Returns the store kind shown in health and info.
   *
   * @return {@code redis} or {@code redis-cluster}
   */
  String kind() {
    return cluster ? "redis-cluster" : "redis";
  }

  /**
   * Returns the error for a URI kvstore-redis refused, naming the property and never echoing a
   * value that may carry a password.
   *
   * @param reason kvstore-redis's message
   * @return the exception to throw
   */
  InvalidConfigurationPropertyValueException invalid(String reason) {
    return new InvalidConfigurationPropertyValueException(property, "<redacted>", reason);
  }

  private static <T> Optional<T> optional(BindResult<T> result) {
    return result.isBound() ? Optional.of(result.get()) : Optional.empty();
  }

  private static String hostAndPort(String uri) {
    try {
      URI parsed = URI.create(uri);
      return parsed.getHost() == null ? "?" : parsed.getHost() + ":" + parsed.getPort();
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }

  private static String uri(boolean ssl, Optional<String> username, Optional<String> password,
      String hostAndPort, int database) {
    StringBuilder uri = new StringBuilder(ssl ? "rediss://" : "redis://");
    if (password.isPresent()) {
      username.ifPresent(user -> uri.append(encode(user)));
      uri.append(':').append(encode(password.get())).append('@');
    }
    uri.append(hostAndPort);
    if (database != 0) {
      uri.append('/').append(database);
    }
    return uri.toString();
  }

  /** Percent-encodes user info: every byte outside RFC 3986's unreserved set. */
  private static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}

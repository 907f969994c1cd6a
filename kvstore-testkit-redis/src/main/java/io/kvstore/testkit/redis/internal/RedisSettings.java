package io.kvstore.testkit.redis.internal;

import io.kvstore.testkit.redis.RedisSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How {@link io.kvstore.testkit.redis.RedisExtension} chooses and starts Redis, read from system
 * properties and environment variables (a property wins over its variable).
 *
 * @param uri {@code KVSTORE_TEST_REDIS}: an existing server, or {@code null}
 * @param clusterUris {@code KVSTORE_TEST_REDIS_CLUSTER}: seed URIs of an existing Cluster, or
 *     empty
 * @param sources {@code KVSTORE_TEST_REDIS_SOURCES}: the sources to try, in order
 * @param image {@code KVSTORE_TEST_REDIS_IMAGE}: the container image
 * @param hostNetwork {@code KVSTORE_TEST_REDIS_NETWORK=host}: containers share the host's network
 *     and listen on 127.0.0.1 only
 * @param searchPath {@code PATH}: where to look for {@code redis-server}
 */
public record RedisSettings(String uri, List<String> clusterUris, List<RedisSource> sources,
    String image, boolean hostNetwork, String searchPath) {
  /** The image when none is configured: the official one, which Docker pulls on first use. */
  public static final String DEFAULT_IMAGE = "redis:7.4";

  /** Copies the lists. */
  public RedisSettings {
    clusterUris = List.copyOf(clusterUris);
    sources = List.copyOf(sources);
  }

  /**
   * Reads the settings of this JVM.
   *
   * @return the settings
   * @throws IllegalArgumentException if a source or network mode is not one of the known ones
   */
  public static RedisSettings fromEnvironment() {
    return from(name -> {
      String property = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
      return property != null ? property : System.getenv(name);
    });
  }

  /**
   * Reads settings by their environment variable names ({@code KVSTORE_TEST_REDIS_IMAGE}).
   *
   * @param lookup returns a setting's value, or {@code null} when it is not set
   * @return the settings
   * @throws IllegalArgumentException if a source or network mode is not one of the known ones
   */
  public static RedisSettings from(UnaryOperator<String> lookup) {
    String sources = blankToNull(lookup.apply("KVSTORE_TEST_REDIS_SOURCES"));
    List<RedisSource> order = new ArrayList<>();
    if (sources == null) {
      order.addAll(List.of(RedisSource.values()));
    } else {
      for (String name : sources.split(",")) {
        order.add(source(name.trim()));
      }
    }
    String network = blankToNull(lookup.apply("KVSTORE_TEST_REDIS_NETWORK"));
    if (network != null && !network.equals("host") && !network.equals("bridge")) {
      throw new IllegalArgumentException("KVSTORE_TEST_REDIS_NETWORK is '" + network
          + "'; use host or bridge");
    }
    String cluster = blankToNull(lookup.apply("KVSTORE_TEST_REDIS_CLUSTER"));
    String image = blankToNull(lookup.apply("KVSTORE_TEST_REDIS_IMAGE"));
    String path = lookup.apply("PATH");
    return new RedisSettings(blankToNull(lookup.apply("KVSTORE_TEST_REDIS")),
        cluster == null ? List.of() : Arrays.stream(cluster.split(",")).map(String::trim).toList(),
        order, image == null ? DEFAULT_IMAGE : image, "host".equals(network),
        path == null ? "" : path);
  }

  /**
   * Returns these settings with other sources.
   *
   * @param order the sources to try, in order
   * @return the settings
   */
  public RedisSettings withSources(List<RedisSource> order) {
    return new RedisSettings(uri, clusterUris, order, image, hostNetwork, searchPath);
  }

  /**
   * Returns these settings with another image.
   *
   * @param name the image
   * @return the settings
   */
  public RedisSettings withImage(String name) {
    return new RedisSettings(uri, clusterUris, sources, name, hostNetwork, searchPath);
  }

  /**
   * Returns these settings with another network mode.
   *
   * @param host {@code true} for the host's network
   * @return the settings
   */
  public RedisSettings withHostNetwork(boolean host) {
    return new RedisSettings(uri, clusterUris, sources, image, host, searchPath);
  }

  private static RedisSource source(String name) {
    try {
      return RedisSource.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("KVSTORE_TEST_REDIS_SOURCES names '" + name
          + "'; use a comma-separated list of uri, testcontainers, path, shipped", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}

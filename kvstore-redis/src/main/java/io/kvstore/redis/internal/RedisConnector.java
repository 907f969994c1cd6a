package io.kvstore.redis.internal;

import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.transport.ClusterTransport;
import io.kvstore.redis.internal.transport.StandaloneTransport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens Lettuce clients with the options kvstore relies on. Lettuce's defaults buffer commands
 * while disconnected and replay them after a reconnect, so a call that the application saw time
 * out could still be applied minutes later, over newer data. kvstore turns that off:
 *
 * <ul>
 *   <li>{@code REJECT_COMMANDS} while disconnected: calls fail fast with
 *       {@code KvUnavailableException} instead of queueing without bound;
 *   <li>a replay filter that replays nothing: commands in flight when a connection drops fail
 *       (their outcome is unknown to the caller, who was told so) and are never re-sent later;
 *   <li>a bounded request queue and a reply timeout on every command;
 *   <li>auto-reconnect stays on, so the same store recovers once Redis is back.
 * </ul>
 *
 * <p>These are client options, so they hold for every connection the client opens: the main one,
 * the bulk one ({@code BulkConnection}) and the pub/sub one of the invalidation bus.
 */
public final class RedisConnector {
  private RedisConnector() {}

  /**
   * Connects to one Redis server.
   *
   * @param uri a Redis URI ({@code redis://}, {@code rediss://}, with user, password, database)
   * @param options tuning
   * @return the store
   */
  public static KvStore connect(String uri, RedisKvOptions options) {
    return connect(uri, options, null);
  }

  /**
   * Connects to one Redis server on Lettuce resources of the caller's: the door for the probes
   * and tests that watch the channels through {@link ClientResources#nettyCustomizer()}, which
   * the bulk client shares (never its I/O threads).
   *
   * @param uri a Redis URI
   * @param options tuning
   * @param resources the main client's resources, shut down by the caller after the store; or
   *     {@code null} for resources of the store's own
   * @return the store
   */
  public static KvStore connect(String uri, RedisKvOptions options, ClientResources resources) {
    RedisURI redisUri = parse(uri, options);
    RedisClient client = resources == null ? RedisClient.create(redisUri)
        : RedisClient.create(resources, redisUri);
    client.setOptions(clientOptions(ClientOptions.builder(), options).build());
    StatefulRedisConnection<String, byte[]> connection;
    try {
      connection = client.connect(Commands.CODEC);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new KvUnavailableException("connect: Redis at " + where(redisUri)
          + " is unreachable (" + e.getClass().getSimpleName() + ")", e);
    }
    return KvStores.fromBackend(
        new RedisBackend(new StandaloneTransport(client, redisUri, connection, options),
            options),
        options);
  }

  /**
   * Connects to a Redis Cluster through any of its nodes.
   *
   * @param uris seed node URIs
   * @param options tuning
   * @return the store
   */
  public static KvStore connectCluster(List<String> uris, RedisKvOptions options) {
    return connectCluster(uris, options, null);
  }

  /**
   * Connects to a Redis Cluster on Lettuce resources of the caller's, as {@link
   * #connect(String, RedisKvOptions, ClientResources)} does.
   *
   * @param uris seed node URIs
   * @param options tuning
   * @param resources the main client's resources, shut down by the caller after the store; or
   *     {@code null} for resources of the store's own
   * @return the store
   */
  public static KvStore connectCluster(List<String> uris, RedisKvOptions options,
      ClientResources resources) {
    if (uris == null || uris.isEmpty()) {
      throw new KvValidationException("uris", "connectCluster: at least one seed URI is needed");
    }
    List<RedisURI> seeds = new ArrayList<>(uris.size());
    for (String uri : uris) {
      seeds.add(parse(uri, options));
    }
    RedisClusterClient client = resources == null ? RedisClusterClient.create(seeds)
        : RedisClusterClient.create(resources, seeds);
    ClusterClientOptions.Builder builder = ClusterClientOptions.builder()
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            // Every trigger (MOVED, ASK, reconnects, unknown nodes, ...): the list, not the
            // deprecated enable-all, so a trigger added later is a conscious choice.
            .enableAdaptiveRefreshTrigger(ClusterTopologyRefreshOptions.RefreshTrigger.values())
            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
            .enablePeriodicRefresh(Duration.ofSeconds(30))
            .build());
    clientOptions(builder, options);
    client.setOptions(builder.build());
    StatefulRedisClusterConnection<String, byte[]> connection;
    try {
      connection = client.connect(Commands.CODEC);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new KvUnavailableException("connectCluster: no seed node of the cluster answered ("
          + e.getClass().getSimpleName() + ")", e);
    }
    return KvStores.fromBackend(
        new RedisBackend(new ClusterTransport(client, seeds, connection, options), options), options);
  }

  private static <B extends ClientOptions.Builder> B clientOptions(B builder,
      RedisKvOptions options) {
    builder.autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .replayFilter(command -> true)
        .requestQueueSize(options.requestQueueSize())
        .timeoutOptions(TimeoutOptions.enabled(options.timeout()))
        .socketOptions(SocketOptions.builder()
            .connectTimeout(options.connectTimeout())
            .keepAlive(true)
            .build());
    return builder;
  }

  private static RedisURI parse(String uri, RedisKvOptions options) {
    if (uri == null || uri.isBlank()) {
      throw new KvValidationException("uri", "connect: the Redis URI is "
          + (uri == null ? "null" : "blank"));
    }
    RedisURI redisUri;
    try {
      redisUri = RedisURI.create(uri);
    } catch (IllegalArgumentException e) {
      // The URI may carry a password: never echo it.
      throw new KvValidationException("uri", "connect: the Redis URI is not valid ("
          + e.getClass().getSimpleName() + "); expected redis://[user:password@]host:port[/db]"
          + " or rediss://...");
    }
    redisUri.setTimeout(options.timeout());
    return redisUri;
  }

  private static String where(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }
}

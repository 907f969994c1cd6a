package io.kvstore.redis;

import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.redis.internal.RedisConnector;
import java.util.List;

/**
 * Opens kvstore stores on Redis.
 *
 * <pre>{@code
 * KvStore store = RedisKvStore.connect("redis://localhost:6379");
 * KvStore cluster = RedisKvStore.connectCluster(List.of("redis://h1:7000", "redis://h2:7000"));
 * }</pre>
 *
 * <p><b>Connections: one for ordinary calls, one for bulk, no pool.</b> A Redis connection is a
 * pipe: Lettuce writes the commands of every thread onto it as they come and matches replies in
 * order, so one connection already carries many requests at once. A pool would add connections,
 * handshakes and checkout contention without adding concurrency, and would break batching: the
 * commands of one {@code getAll} must go out together on one connection to cost one round trip.
 * (Blocking commands and transactions need dedicated connections; kvstore uses neither.) But
 * because Redis answers a connection's commands in order, a {@code get} written after the 20
 * MGETs of a 10,000-key {@code getAll} would wait for their 5 MB of replies. So a store holds a
 * second, "bulk" connection, opened the first time a batch ({@code getAll}, {@code putAll},
 * {@code deleteAll}) of more than {@link RedisKvOptions#bulkThreshold()} keys (2,000 by default)
 * is sent, and every such batch goes on it; a batch up to the threshold stays on the main
 * connection, one round trip of at most 4 MGETs at the default chunk size. In Cluster the store
 * holds one connection per node for each of the two. Both have the same options (fail fast while
 * disconnected, no replay, reply timeout, auto-reconnect) and {@link KvStore#close()} closes both.
 * The near-cache invalidation channel is a third, pub/sub connection, untouched by any of this.
 *
 * <p><b>Order.</b> A call issued after another call's future completed sees its effect, whichever
 * connections they took. Calls in flight at the same time have no order between them when they
 * take different connections: a {@code putAll} of 5,000 keys and a {@code put} of one of its keys,
 * issued without waiting for the first, may be applied in either order (on one connection Redis
 * applied them in the order written). Wait for the batch when the later value must win.
 *
 * <p><b>Decoding.</b> Values are decoded off Lettuce's I/O threads when a read carries more than
 * 64 KiB of them, on a pool the store starts and stops, in parallel; reads up to 8 KiB are
 * decoded where their reply arrived, cheaper than a thread hop, and reads between by that thread
 * and the pool together ({@link io.kvstore.DecodeOptions},
 * {@link RedisKvOptions.Builder#decoding}).
 * Listeners and the slow-operation log run on the thread that decoded last: keep listeners short.
 *
 * <p><b>Failure behaviour.</b> While Redis is unreachable, calls fail fast with
 * {@link KvUnavailableException} rather than queueing; every command has a reply timeout
 * ({@link RedisKvOptions#timeout()}, 2 s by default) after which it fails with
 * {@code KvTimeoutException} (for writes, flagged outcome-unknown); the connection reconnects by
 * itself. Commands in flight when a connection drops are failed, never replayed later.
 *
 * <p><b>Data layout.</b> A value is a plain Redis string at {@code namespace:key}, readable with
 * {@code redis-cli GET workout:user-42:w01:d1}. A namespace opened with
 * {@link io.kvstore.Listing#INDEXED} keeps its values and a sorted-set index of its keys under one
 * Cluster hash tag per partition, so both live in one slot:
 * <ul>
 *   <li>{@code Listing.INDEXED} (one partition): value <code>{workout}:user-42:w01:d1</code>,
 *       index <code>{workout}/index</code>;
 *   <li>{@code Listing.indexedBy(Listing.firstSegment(':'))}: value
 *       <code>{workout:user-42}:user-42:w01:d1</code>, index
 *       <code>{workout:user-42}/index</code> (a partition's {@code %} and <code>}</code> are
 *       written {@code %25} and {@code %7D});
 *   <li>plus <code>{...}/sweep</code>, where the partition's write-time sweep of expired index
 *       members resumes.
 * </ul>
 * A namespace must be opened with the same listing everywhere; {@code reindex()} moves one written
 * under SCAN into the indexed layout. Indexed listing costs about the page (O(log N + page), one
 * round trip, keys in UTF-8 byte order); every write and delete also updates the index in the same
 * round trip. In Cluster, one partition is one slot on one master: {@code Listing.INDEXED} puts a
 * whole namespace on one node, {@code indexedBy} spreads partitions over the masters, and a listed
 * prefix must name one partition (with {@code firstSegment(':')}, it must contain the
 * {@code ':'}, as in {@code "user-42:"}); otherwise listing fails with a
 * {@link KvValidationException} naming the prefix.
 *
 * <p>The returned store is thread-safe; share one per application and close it at shutdown.
 */
public final class RedisKvStore {
  private RedisKvStore() {}

  /**
   * Connects to one Redis server with default options.
   *
   * @param uri {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://} for
   *     TLS, as Lettuce's {@code RedisURI} accepts
   * @return the store
   * @throws KvValidationException if the URI is null or malformed
   * @throws KvUnavailableException if the server cannot be reached
   */
  public static KvStore connect(String uri) {
    return connect(uri, RedisKvOptions.defaults());
  }

  /**
   * Connects to one Redis server.
   *
   * @param uri the server URI, as for {@link #connect(String)}
   * @param options timeouts, chunking, SCAN effort and observability
   * @return the store
   * @throws KvValidationException if the URI is null or malformed, or options is null
   * @throws KvUnavailableException if the server cannot be reached
   */
  public static KvStore connect(String uri, RedisKvOptions options) {
    return RedisConnector.connect(uri, checked(options));
  }

  /**
   * Connects to a Redis Cluster with default options.
   *
   * @param uris URIs of one or more nodes; the rest of the topology is discovered
   * @return the store
   * @throws KvValidationException if the list is empty or a URI is malformed
   * @throws KvUnavailableException if no seed node can be reached
   */
  public static KvStore connectCluster(List<String> uris) {
    return connectCluster(uris, RedisKvOptions.defaults());
  }

  /**
   * Connects to a Redis Cluster.
   *
   * @param uris URIs of one or more nodes
   * @param options timeouts, chunking, SCAN effort and observability
   * @return the store
   * @throws KvValidationException if the list is empty, a URI is malformed, or options is null
   * @throws KvUnavailableException if no seed node can be reached
   */
  public static KvStore connectCluster(List<String> uris, RedisKvOptions options) {
    return RedisConnector.connectCluster(uris, checked(options));
  }

  private static RedisKvOptions checked(RedisKvOptions options) {
    if (options == null) {
      throw new KvValidationException("options", "connect: options must not be null");
    }
    return options;
  }
}

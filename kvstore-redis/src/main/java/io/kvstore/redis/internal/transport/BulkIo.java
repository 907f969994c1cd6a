package io.kvstore.redis.internal.transport;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk connection's own I/O thread. Lettuce hands a client's channels to its event loops
 * round-robin, so a second connection of the same client may share the main connection's loop:
 * reading and parsing a batch's megabytes of replies on that thread would then delay every small
 * reply behind them. The bulk client therefore gets an event loop group of its own, one thread
 * named {@value #THREAD_NAME}, and borrows the main client's timer and computation threads (command
 * timeouts fire on them) and its Netty customizer (what watches the main channel watches this
 * one). Made on the first large batch and shut down with the store, after the
 * bulk client.
 *
 * <p>Thread-safe.
 *
 * @param <C> the bulk client type
 */
final class BulkIo<C extends AbstractRedisClient> {
  /** The prefix of the bulk I/O thread's name. */
  static final String THREAD_NAME = "kvstore-bulk-io";

  private static final Logger LOG = LoggerFactory.getLogger(BulkIo.class);

  private final ClientResources main;
  private final Function<ClientResources, C> create;
  private EventLoopGroupProvider loops; // guarded by this
  private ClientResources resources; // guarded by this
  private C client; // guarded by this
  private boolean closed; // guarded by this

  /**
   * The bulk client of a store, made on first use.
   *
   * @param main the main client's resources, whose timer and computation threads are shared
   * @param create makes the bulk client on the given resources, with the main client's options
   */
  BulkIo(ClientResources main, Function<ClientResources, C> create) {
    this.main = main;
    this.create = create;
  }

  /** The bulk client, made now if this is its first use. */
  synchronized C client() {
    if (closed) {
      throw new io.lettuce.core.RedisConnectionException("the store is closed");
    }
    if (client == null) {
      loops = new DefaultEventLoopGroupProvider(1,
          pool -> new DefaultThreadFactory(THREAD_NAME, true));
      resources = DefaultClientResources.builder()
          .eventLoopGroupProvider(loops)
          .eventExecutorGroup(main.eventExecutorGroup())
          .timer(main.timer())
          .nettyCustomizer(main.nettyCustomizer())
          .build();
      client = create.apply(resources);
    }
    return client;
  }

  /** Shuts down the bulk client, its resources and its I/O thread, waiting up to 2 s each. */
  void close() {
    C c;
    ClientResources r;
    EventLoopGroupProvider l;
    synchronized (this) {
      closed = true;
      c = client;
      r = resources;
      l = loops;
    }
    if (c == null) {
      return;
    }
    try {
      c.shutdown(0, 2, TimeUnit.SECONDS);
      r.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
      l.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.debug("shutting down the bulk client failed", e);
    }
  }
}

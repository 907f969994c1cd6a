package io.kvstore.redis;

import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One crash of a Redis server in the middle of a concurrent run: one worker kills it (SIGKILL),
 * leaves it down a moment and starts it again; every worker whose call failed waits here until
 * the server is back and the store answers, so each worker has at most a couple of calls of
 * unknown outcome. The server runs with {@code appendfsync always}, so that an acknowledged
 * write survives the crash, as linearizability asks.
 */
final class OneRestart {
  /** The arguments that keep every acknowledged write across a SIGKILL. */
  static final List<String> DURABLE = List.of("--appendonly", "yes", "--appendfsync", "always");

  private final RedisServer server;
  private final CountDownLatch over = new CountDownLatch(1);

  OneRestart(RedisServer server) {
    this.server = server;
  }

  /** Kills the server, keeps it down 200 ms, starts it again on the same port and data. */
  void crashAndRestart() {
    server.kill();
    try {
      Thread.sleep(200);
      server.restart();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      over.countDown();
    }
  }

  /**
   * Tells whether the restart has happened.
   *
   * @return true once the server was started again
   */
  boolean over() {
    return over.getCount() == 0;
  }

  /**
   * Waits for the restart, then until {@code ns} answers a read.
   *
   * @param ns a namespace on the restarted server
   */
  void awaitRecovery(KvNamespace<?> ns) {
    try {
      if (!over.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the server was not restarted within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Awaits.until("the store to answer after the restart", Duration.ofSeconds(30), () -> {
      try {
        ns.blocking().get("probe");
        return true;
      } catch (KvException notYet) {
        return false;
      }
    });
  }
}

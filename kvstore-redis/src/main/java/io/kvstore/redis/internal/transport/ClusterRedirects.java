package io.kvstore.redis.internal.transport;

import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.Failures;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How {@link ClusterTransport} settles the commands it wrote to the masters, following redirects.
 *
 * <p>Node connections do not follow redirects, so this class does. A command answered with {@code
 * MOVED} goes to the node named, and the topology is refreshed; one answered with {@code ASK} (its
 * slot is half moved) goes to the node named right after {@code ASKING}. One extra round trip per
 * redirect, only while slots move, at most {@value #MAX_REDIRECTS} per command; a command still
 * redirected after that fails with its redirect, which {@link Errors} reports as retryable.
 *
 * <p>Nothing that may wait runs on a Netty I/O thread. Replies complete there, so following a
 * redirect moves to this class's own thread first: Lettuce's cluster connection gets a node
 * connection synchronously when it writes a batch, and if that connection had to be opened on
 * the very event loop that was waiting for it, the loop would wait for itself and every
 * connection on it would stop answering. Node connections are only ever asked for
 * asynchronously here ({@link #write}), and never through the cluster connection's own routing.
 *
 * <p>Thread-safe. Closing stops following: redirects met afterwards fail their commands.
 */
final class ClusterRedirects implements AutoCloseable {
  /** Redirects followed per command before the redirect is the failure, as Lettuce's default. */
  static final int MAX_REDIRECTS = 5;

  private final RedisClusterClient client;
  /** Follows redirects off the I/O threads; one daemon thread, gone when idle. */
  private final ThreadPoolExecutor executor;
  private final AtomicBoolean refreshing = new AtomicBoolean();

  /**
   * Redirects of one store.
   *
   * @param client the client whose topology a {@code MOVED} refreshes
   */
  ClusterRedirects(RedisClusterClient client) {
    this.client = client;
    this.executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "kvstore-cluster-redirects");
          thread.setDaemon(true);
          return thread;
        });
    this.executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Writes commands on a node connection once it is open; a failure to get it fails them.
   * Nothing here waits, so it may run on an I/O thread.
   *
   * @param node asks for the node connection, asynchronously
   * @param commands the node's commands, written together
   */
  static void write(Supplier<CompletableFuture<StatefulRedisConnection<String, byte[]>>> node,
      List<RedisCommand<String, byte[], ?>> commands) {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> opening;
    try {
      opening = node.get();
    } catch (RuntimeException e) {
      // Lettuce throws at once for a node that left its view of the cluster.
      failAll(commands, e);
      return;
    }
    opening.whenComplete((nodeConnection, error) -> {
      if (error != null) {
        failAll(commands, error);
        return;
      }
      try {
        nodeConnection.dispatch(commands);
      } catch (RuntimeException e) {
        failAll(commands, e);
      }
    });
  }

  static void failAll(List<RedisCommand<String, byte[], ?>> commands, Throwable error) {
    commands.forEach(c -> c.completeExceptionally(error));
  }

  /**
   * Once every attempt has its reply, completes each command from it, and follows the
   * redirected ones, at most {@value #MAX_REDIRECTS} times each.
   *
   * @param connection the cluster connection whose node connections redirected commands use
   * @param call the call, which counts the redirects' round trips
   * @param order the commands, in the order of {@code attempts}
   * @param attempts the commands as written
   * @return completes when every command has its result; fails if any failed
   */
  CompletableFuture<Void> settle(StatefulRedisClusterConnection<String, byte[]> connection,
      BackendCall call, List<Routed<?>> order, List<CompletableFuture<?>> attempts) {
    return settle(connection, call, order, attempts, MAX_REDIRECTS);
  }

  /**
   * Settles as above, with {@code redirectsLeft} more redirects to follow, after which the
   * redirect itself is the failure (translated as retryable). Following runs on the executor,
   * never on the I/O thread that delivered the reply.
   */
  private CompletableFuture<Void> settle(
      StatefulRedisClusterConnection<String, byte[]> connection, BackendCall call,
      List<Routed<?>> order, List<CompletableFuture<?>> attempts, int redirectsLeft) {
    return CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
        .handle((ignored, error) -> null)
        .thenCompose(ignored -> {
          List<Routed<?>> redirected = new ArrayList<>();
          List<Redirect> targets = new ArrayList<>();
          for (int i = 0; i < order.size(); i++) {
            Routed<?> routed = order.get(i);
            CompletableFuture<?> attempt = attempts.get(i);
            Throwable error = attempt.isCompletedExceptionally() ? failure(attempt) : null;
            Redirect redirect = redirectsLeft > 0 ? Redirect.of(error) : null;
            if (redirect != null) {
              redirected.add(routed);
              targets.add(redirect);
            } else {
              complete(routed, attempt, error);
            }
          }
          if (!redirected.isEmpty()) {
            try {
              executor.execute(() -> {
                try {
                  follow(connection, call, redirected, targets, redirectsLeft - 1);
                } catch (RuntimeException e) {
                  redirected.forEach(r -> r.result.completeExceptionally(e));
                }
              });
            } catch (RejectedExecutionException closed) {
              RedisConnectionException error =
                  new RedisConnectionException("the store is closed");
              redirected.forEach(r -> r.result.completeExceptionally(error));
            }
          }
          return AbstractTransport.allOf(order);
        });
  }

  /**
   * Re-sends redirected commands to the node each redirect names: {@code ASK} (the slot is half
   * moved) with {@code ASKING} right before the command, on the same connection; {@code MOVED}
   * (the slot has moved) as it is, and the topology is refreshed so later calls go there first.
   */
  private void follow(StatefulRedisClusterConnection<String, byte[]> connection,
      BackendCall call, List<Routed<?>> redirected, List<Redirect> targets, int redirectsLeft) {
    if (targets.stream().anyMatch(t -> !t.ask)) {
      refreshTopology();
    }
    Map<String, List<Integer>> byTarget = new LinkedHashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      Redirect target = targets.get(i);
      byTarget.computeIfAbsent((target.ask ? "ASK " : "MOVED ") + target.host + ":"
          + target.port, k -> new ArrayList<>()).add(i);
    }
    call.recordRoundTrip(1);
    List<CompletableFuture<?>> attempts = new ArrayList<>(redirected.size());
    List<Routed<?>> order = new ArrayList<>(redirected.size());
    for (List<Integer> group : byTarget.values()) {
      Redirect target = targets.get(group.get(0));
      List<RedisCommand<String, byte[], ?>> sent = new ArrayList<>(group.size() * 2);
      for (int i : group) {
        Routed<?> routed = redirected.get(i);
        if (target.ask) {
          sent.add(new AsyncCommand<>(Commands.asking()));
        }
        AsyncCommand<String, byte[], ?> attempt = routed.command();
        sent.add(attempt);
        attempts.add(attempt);
        order.add(routed);
      }
      write(() -> connection.getConnectionAsync(target.host, target.port), sent);
    }
    settle(connection, call, order, attempts, redirectsLeft);
  }

  /** Starts a topology refresh unless one is running: MOVED says the known one is stale. */
  private void refreshTopology() {
    if (refreshing.compareAndSet(false, true)) {
      try {
        client.refreshPartitionsAsync().whenComplete((done, error) -> refreshing.set(false));
      } catch (RuntimeException e) {
        refreshing.set(false);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Routed<T> routed, CompletableFuture<?> attempt,
      Throwable error) {
    if (error != null) {
      routed.result.completeExceptionally(error);
    } else {
      routed.result.complete((T) attempt.join());
    }
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.join();
      return null;
    } catch (RuntimeException e) {
      return Failures.cause(e);
    }
  }

  /** Stops following redirects. */
  @Override
  public void close() {
    executor.shutdown();
  }

  /** Where a {@code MOVED} or {@code ASK} reply sends its command. */
  private record Redirect(boolean ask, String host, int port) {
    /** The redirect a failure carries, or {@code null} if it is none. */
    static Redirect of(Throwable failure) {
      if (failure == null || !Errors.isRedirect(failure)) {
        return null;
      }
      // "MOVED 3999 127.0.0.1:6381" or "ASK 3999 127.0.0.1:6381"
      String[] parts = Failures.cause(failure).getMessage().split(" ");
      if (parts.length < 3) {
        return null;
      }
      int colon = parts[2].lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      try {
        return new Redirect(parts[0].equals("ASK"), parts[2].substring(0, colon),
            Integer.parseInt(parts[2].substring(colon + 1).trim()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}

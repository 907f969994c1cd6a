package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.Awaits;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testkit.redis.TcpProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outages and stalls of a real server, beyond {@link FailureTest}: each fault is injected on a
 * running store, the store reports the right exception by the right mechanism (a timed-out call
 * fails by its timer, well before the stalled server could answer; a call while disconnected is
 * rejected at once, not queued until its timeout), and the same store works again afterwards
 * without a restart of the application. Every test stops what it started. The bounds say which
 * mechanism acted, not how fast it was: on a loaded 2-core machine Netty's timer fired 650 ms
 * after a 500 ms timeout, so the slack is wide; speed belongs to the benchmarks.
 */
class OutageTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /** Far below the 2.5 s DEBUG SLEEP, so a timeout is never confused with the server answering. */
  private static final long TIMER_SLACK_MILLIS = 1_000;

  private static KvStore connect(String uri, Duration timeout) {
    return RedisKvStore.connect(uri, RedisKvOptions.builder().timeout(timeout)
        .connectTimeout(Duration.ofSeconds(2)).build());
  }

  private static KvNamespace<String> strings(KvStore store) {
    return store.namespace(NamespaceOptions.builder("o", KvCodec.utf8()).build());
  }

  /** The failure a future ended with, unwrapped from the CompletionException. */
  private static Throwable failure(CompletableFuture<?> future) {
    CompletionException e = assertThrows(CompletionException.class, future::join);
    return e.getCause();
  }

  @Test
  void aServerKilledWhileAGetAllIsInFlightFailsItAsUnavailableNotAsATimeout() throws Exception {
    try (RedisServer server = RedisServer.start();
        KvStore store = connect(server.uri(), Duration.ofSeconds(10))) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().putAll(Map.of("a", "1", "b", "2"));
      // Frozen, the server has the MGET in its socket buffer but never answers: the getAll is
      // certainly in flight when the kill comes.
      server.freeze();
      CompletableFuture<Map<String, String>> inFlight = ns.getAll(List.of("a", "b"));
      Thread.sleep(100);
      assertFalse(inFlight.isDone());
      long killedAt = System.nanoTime();
      server.kill();
      Throwable e = failure(inFlight);
      long millis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
      assertInstanceOf(KvUnavailableException.class, e);
      assertTrue(millis < 10_000, "failed " + millis + " ms after the kill, before the timeout");

      server.restart();
      awaitRecovery(ns);
      ns.blocking().put("a", "3");
      assertEquals(Optional.of("3"), ns.blocking().get("a"));
    }
  }

  /** Ways a server that is still connected stops answering. */
  enum Stall {
    /** The process is stopped (SIGSTOP), as a frozen VM or a swapped-out host. */
    SIGSTOP,
    /** The event loop is blocked ({@code DEBUG SLEEP}), as by a slow Lua script or KEYS. */
    DEBUG_SLEEP,
    /** The network drops every packet and the connection stays open. */
    BLACK_HOLE
  }

  @ParameterizedTest
  @EnumSource(Stall.class)
  void aStalledServerTimesOutWithinTheTimeoutAndTheStoreRecoversWhenItAnswers(Stall stall)
      throws Exception {
    try (RedisServer server = RedisServer.start();
        TcpProxy proxy = TcpProxy.start(server.port(), Duration.ZERO);
        KvStore store = connect(proxy.uri(), TIMEOUT)) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "v");
      CompletableFuture<Object> sleeping = CompletableFuture.completedFuture(null);
      switch (stall) {
        case SIGSTOP -> server.freeze();
        case DEBUG_SLEEP -> {
          sleeping = server.debugSleep(Duration.ofMillis(2500));
          awaitBlocked(server, sleeping);
        }
        case BLACK_HOLE -> proxy.blackHole(true);
        default -> throw new AssertionError(stall);
      }

      long start = System.nanoTime();
      KvTimeoutException read = assertThrows(KvTimeoutException.class,
          () -> ns.blocking().getAll(List.of("k")));
      assertWithinTimeout(start);
      assertFalse(read.outcomeUnknown());

      start = System.nanoTime();
      KvTimeoutException write = assertThrows(KvTimeoutException.class,
          () -> ns.blocking().put("k2", "v2"));
      assertWithinTimeout(start);
      assertTrue(write.outcomeUnknown(), "a timed-out write may still be applied");

      switch (stall) {
        case SIGSTOP -> server.thaw();
        case DEBUG_SLEEP -> sleeping.get(10, TimeUnit.SECONDS);
        case BLACK_HOLE -> {
          // A real black hole ends in a reset (keepalive, retransmission timeout): see TcpProxy.
          proxy.resetConnections();
          proxy.blackHole(false);
        }
        default -> throw new AssertionError(stall);
      }
      awaitRecovery(ns);
      assertEquals(Optional.of("v"), ns.blocking().get("k"));
    }
  }

  /** DEBUG SLEEP is sent on its own connection: wait until the server is really blocked. */
  private static void awaitBlocked(RedisServer server, CompletableFuture<Object> sleeping)
      throws InterruptedException {
    Thread.sleep(200);
    assertFalse(sleeping.isDone(), "DEBUG SLEEP returned early");
    assertTrue(server.isAlive());
  }

  private static void assertWithinTimeout(long startNanos) {
    long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    assertTrue(millis >= TIMEOUT.toMillis() - 50
        && millis <= TIMEOUT.toMillis() + TIMER_SLACK_MILLIS, "timed out after " + millis + " ms; the timeout is " + TIMEOUT.toMillis() + " ms");
  }

  @Test
  void aStalledServerNeverQueuesMoreThanTheRequestQueueSize() throws Exception {
    int queue = 8;
    // Coalescing off: this is about the bound on commands, so every get must be a command.
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri(), RedisKvOptions.builder()
            .timeout(Duration.ofSeconds(2)).requestQueueSize(queue).coalesceGets(false)
            .build())) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "v");
      server.freeze();
      try {
        List<CompletableFuture<Optional<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          calls.add(ns.get("k"));
        }
        // Well before the 2 s timeout: all but `queue` calls have failed, rejected either when
        // written (request queue) or when the connection took them (its command stack).
        Thread.sleep(300);
        List<CompletableFuture<Optional<String>>> waiting = new ArrayList<>();
        for (CompletableFuture<Optional<String>> call : calls) {
          if (!call.isDone()) {
            waiting.add(call);
            continue;
          }
          Throwable e = failure(call);
          assertInstanceOf(KvUnavailableException.class, e);
          assertTrue(e.getMessage().contains("size exceeded"), e.getMessage());
        }
        assertEquals(queue, waiting.size());
        for (CompletableFuture<Optional<String>> call : waiting) {
          assertInstanceOf(KvTimeoutException.class, failure(call));
        }
      } finally {
        server.thaw();
      }
      awaitRecovery(ns);
    }
  }

  /**
   * With coalescing on (the default), gets issued while the server is stalled are not 50
   * commands but a batch (a few, if this thread is interrupted while issuing them), well within
   * a request queue of 8. None is left hanging: each batch times out, so each caller fails with
   * {@link KvTimeoutException}, and the store answers again once the server does.
   */
  @Test
  void aStalledServerTimesOutCoalescedGetsBatchByBatch() throws Exception {
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri(), RedisKvOptions.builder()
            .timeout(Duration.ofMillis(500)).requestQueueSize(8).build())) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "v");
      server.freeze();
      try {
        List<CompletableFuture<Optional<String>>> calls =
            IntStream.range(0, 50).mapToObj(i -> ns.get("k" + i)).toList();
        calls.forEach(call -> assertInstanceOf(KvTimeoutException.class, failure(call)));
      } finally {
        server.thaw();
      }
      awaitRecovery(ns);
    }
  }

  /**
   * Three crash-restart cycles on one store: calls fail fast while the server is down, the store
   * comes back each time, and no socket, file descriptor or Lettuce thread is left over, neither
   * while it runs nor after it is closed.
   */
  @Test
  void repeatedOutagesLeakNoThreadsOrSockets() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      // Warm up once so that class loading (which opens jars) is not counted as a leak.
      try (KvStore warm = connect(server.uri(), TIMEOUT)) {
        strings(warm).blocking().put("k", "v");
      }
      awaitLettuceThreads(0);
      List<String> fdsBefore = openFds();
      assertEquals(0, connectionsTo(server.port()));

      KvStore store = connect(server.uri(), TIMEOUT);
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "v");
      assertEquals(1, connectionsTo(server.port()), "one multiplexed connection");
      for (int cycle = 0; cycle < 3; cycle++) {
        server.kill();
        awaitRejection(ns);
        long start = System.nanoTime();
        assertThrows(KvUnavailableException.class, () -> ns.blocking().get("k"));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis < TIMEOUT.toMillis(), "rejected after " + millis + " ms, not queued");
        server.restart();
        awaitRecovery(ns);
        ns.blocking().put("k", "v" + cycle);
        assertEquals(1, connectionsTo(server.port()), "after outage " + cycle);
      }
      store.close();

      awaitLettuceThreads(0);
      assertEquals(0, connectionsTo(server.port()));
      awaitFds(fdsBefore);
    }
  }

  @Test
  void aConnectionClosedByTheServerIsReopenedByItself() throws Exception {
    try (RedisServer server = RedisServer.start(); KvStore store = connect(server.uri(), TIMEOUT)) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "v");
      assertEquals(1, server.killClients());
      awaitRecovery(ns);
      assertEquals(Optional.of("v"), ns.blocking().get("k"));
    }
  }

  /**
   * A reply cut in the middle fails the call as unavailable: the half-read reply is never taken
   * for data, and the next call on the new connection reads whole, correct values.
   */
  @Test
  void aReplyCutInTheMiddleFailsTheCallAndLeavesNoGarbageBehind() throws Exception {
    try (RedisServer server = RedisServer.start();
        TcpProxy proxy = TcpProxy.start(server.port(), Duration.ZERO);
        KvStore store = connect(proxy.uri(), Duration.ofSeconds(5))) {
      KvNamespace<String> ns = strings(store);
      Map<String, String> data = new LinkedHashMap<>();
      for (int i = 0; i < 64; i++) {
        data.put("k" + i, Integer.toString(i).repeat(200));
      }
      ns.blocking().putAll(data);
      proxy.cutRepliesAfter(3000);
      assertInstanceOf(KvUnavailableException.class, failure(ns.getAll(data.keySet())));
      awaitRecovery(ns);
      assertEquals(data, ns.blocking().getAll(data.keySet()));
    }
  }

  /**
   * What outcome-unknown means: the write timed out for the caller, yet Redis applied it later.
   * Callers must treat such a write as "maybe applied", never as "not applied".
   */
  @Test
  void aTimedOutWriteMayStillBeApplied() throws Exception {
    try (RedisServer server = RedisServer.start(); KvStore store = connect(server.uri(), TIMEOUT)) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "before");
      server.call("CLIENT", "PAUSE", "1500", "WRITE");
      KvTimeoutException e = assertThrows(KvTimeoutException.class,
          () -> ns.blocking().put("k", "after"));
      assertTrue(e.outcomeUnknown());
      awaitValue(server, "o:k", "after", Duration.ofSeconds(10));
    }
  }

  /** How a connection ends: a reset (RST, a failing network) or a close (FIN, a restart). */
  enum Drop {
    RESET,
    CLOSE;

    void apply(TcpProxy proxy) {
      if (this == RESET) {
        proxy.resetConnections();
      } else {
        proxy.closeConnections();
      }
      proxy.blackHole(false);
    }
  }

  /**
   * A write in flight when the connection drops fails and is never replayed. Write A is swallowed
   * by a black hole; during the outage another client writes B; the connection drops and the
   * store reconnects. Had A been replayed on reconnect, as Lettuce does by default (see the next
   * test), it would now overwrite the newer B.
   */
  @ParameterizedTest
  @EnumSource(Drop.class)
  void aWriteInFlightWhenTheConnectionDropsIsNeverReplayedOverANewerWrite(Drop drop)
      throws Exception {
    try (RedisServer server = RedisServer.start();
        TcpProxy proxy = TcpProxy.start(server.port(), Duration.ZERO);
        KvStore store = connect(proxy.uri(), Duration.ofSeconds(10))) {
      KvNamespace<String> ns = strings(store);
      ns.blocking().put("k", "old");
      long setsBefore = server.commandCalls("set");

      proxy.blackHole(true);
      CompletableFuture<Void> writeA = ns.put("k", "A");
      CompletableFuture<Void> writeA2 = ns.put("k2", "A2");
      awaitInFlight(writeA, writeA2);
      server.call("SET", "o:k", "B");
      drop.apply(proxy);

      for (CompletableFuture<Void> write : List.of(writeA, writeA2)) {
        Throwable e = failure(write);
        assertInstanceOf(KvUnavailableException.class, e);
        assertTrue(e.getMessage().contains("may or may not have been applied"), e.getMessage());
      }
      awaitRecovery(ns);
      Thread.sleep(300);
      assertEquals(Optional.of("B"), ns.blocking().get("k"));
      assertEquals(Optional.empty(), ns.blocking().get("k2"));
      assertEquals(setsBefore + 1, server.commandCalls("set"), "only B's SET reached Redis");
    }
  }

  /**
   * The hazard the previous test guards against, shown on a Lettuce client with its defaults: the
   * writes in flight when the connection closed are sent again after the reconnect, and the
   * older A overwrites the newer B.
   */
  @Test
  void lettuceDefaultsWouldReplayTheWriteOverTheNewerOne() throws Exception {
    try (RedisServer server = RedisServer.start();
        TcpProxy proxy = TcpProxy.start(server.port(), Duration.ZERO)) {
      RedisClient client = RedisClient.create(proxy.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().set("o:k", "old");
        proxy.blackHole(true);
        CompletableFuture<String> writeA = connection.async().set("o:k", "A")
            .toCompletableFuture();
        awaitInFlight(writeA);
        server.call("SET", "o:k", "B");
        Drop.CLOSE.apply(proxy);
        assertEquals("OK", writeA.get(10, TimeUnit.SECONDS));
        assertEquals("A", server.call("GET", "o:k"), "replayed after reconnect, over B");
      } finally {
        client.shutdown();
      }
    }
  }

  /** Writes sent into a black hole: give them time to leave, and check none was answered. */
  private static void awaitInFlight(CompletableFuture<?>... writes) throws InterruptedException {
    Thread.sleep(200);
    for (CompletableFuture<?> write : writes) {
      assertFalse(write.isDone());
    }
  }

  // ------------------------------------------------------------------ helpers

  static void awaitRecovery(KvNamespace<String> ns) {
    Awaits.until("the store to recover", Duration.ofSeconds(15),
        () -> ns.blocking().get("k") != null);
  }

  private static void awaitRejection(KvNamespace<String> ns) {
    // Any other failure means the server is not yet known to be down: poll again.
    Awaits.until("calls to be rejected while the server is down",
        () -> assertThrows(KvUnavailableException.class, () -> ns.blocking().get("k")) != null);
  }

  private static void awaitValue(RedisServer server, String key, String value, Duration within) {
    Awaits.until(key + " to become " + value, within, () -> value.equals(server.call("GET", key)));
  }

  /** Lettuce names every thread it starts {@code lettuce-...}. */
  private static void awaitLettuceThreads(long expected) {
    Awaits.until(expected + " lettuce threads alive", () -> lettuceThreads() == expected);
  }

  private static long lettuceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("lettuce-")).count();
  }

  /**
   * What the open non-socket file descriptors point to, as a sorted list: files by path, pipes
   * and event descriptors by kind only, since a restarted server gets new pipes with new inode
   * numbers. Sockets are checked precisely by {@link #connectionsTo(int)} instead: under a full
   * build an unrelated socket of the test JVM was seen opening during this test.
   */
  private static List<String> openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString()
              .replaceAll("^(pipe|socket):\\[\\d+]$", "$1");
        } catch (IOException closedMeanwhile) {
          return "";
        }
      }).filter(link -> !link.isEmpty() && !link.startsWith("/proc/") && !link.equals("socket"))
          .sorted().toList();
    }
  }

  private static void awaitFds(List<String> expected) {
    Awaits.until("the file descriptors open before", Duration.ofSeconds(5), () -> {
      try {
        return openFds();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, expected::equals);
  }

  private static Set<String> socketInodes() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          return "";
        }
      }).filter(link -> link.startsWith("socket:["))
          .map(link -> link.substring(8, link.length() - 1))
          .collect(Collectors.toSet());
    }
  }

  /**
   * Counts this process's TCP sockets whose remote end is the port: the inodes behind
   * {@code /proc/self/fd} matched against {@code /proc/net/tcp}.
   */
  private static long connectionsTo(int port) throws IOException {
    Set<String> inodes = socketInodes();
    String remotePort = String.format(":%04X", port);
    long count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> rows = Files.readAllLines(Path.of(table));
      for (String row : rows.subList(1, rows.size())) {
        String[] f = row.trim().split("\\s+");
        if (f[2].endsWith(remotePort) && inodes.contains(f[9])) {
          count++;
        }
      }
    }
    return count;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

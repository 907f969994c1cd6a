package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.redis.internal.RedisConnector;
import io.kvstore.testkit.redis.RedisCluster;
import io.kvstore.testkit.redis.RedisServer;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Which connection carries what, and which thread reads it, watched on the store's own Netty
 * channels (a handler on each channel its clients open): a batch of more than {@code
 * bulkThreshold} keys goes on the bulk connection, whose replies are read on its own I/O thread
 * ({@code kvstore-bulk-io}), never on the main connection's; a small call never goes on the bulk
 * connection; an MGET on the bulk connection carries at most 500 keys even when {@code
 * maxKeysPerCommand} allows more, which still holds on the main connection; closing the store
 * stops the bulk I/O thread. One server and a 3-master Cluster.
 *
 * <p>Asserts channels, commands and thread names, never timing.
 */
class BulkIsolationTest {
  /** Over the threshold, and not one key past a 500-key chunk (a lone key goes as a GET). */
  private static final int BULK = RedisKvOptions.DEFAULT_BULK_THRESHOLD + 99;
  /** Under the threshold, in one command on the main connection. */
  private static final int MEDIUM = 1_000;
  /** Wider than both batches: only the bulk connection's own limit splits them. */
  private static final RedisKvOptions WIDE_COMMANDS = RedisKvOptions.builder()
      .maxKeysPerCommand(5_000).build();

  @Test
  void oneServer() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      check(resources -> RedisConnector.connect(server.uri(), WIDE_COMMANDS, resources), true);
    }
  }

  @Test
  void cluster() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      check(resources -> RedisConnector.connectCluster(cluster.uris(), WIDE_COMMANDS, resources),
          false);
    }
  }

  private static void check(Function<ClientResources, KvStore> connect, boolean oneServer)
      throws Exception {
    ChannelWatch watch = new ChannelWatch();
    ClientResources resources = ClientResources.builder().nettyCustomizer(watch).build();
    try {
      try (KvStore store = connect.apply(resources)) {
        KvNamespace<String> ns = store.namespace(
            NamespaceOptions.builder("iso", KvCodec.utf8()).build());
        Map<String, String> batch = new LinkedHashMap<>();
        for (int i = 0; i < BULK; i++) {
          batch.put("bulk-" + i, "v" + i);
        }
        ns.blocking().putAll(batch);
        ns.blocking().put("small", "small-v");
        List<String> medium = IntStream.range(0, MEDIUM).mapToObj(i -> "bulk-" + i).toList();

        for (int round = 0; round < 3; round++) {
          CompletableFuture<Map<String, String>> bulk = ns.getAll(batch.keySet());
          List<CompletableFuture<Optional<String>>> small = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            small.add(ns.get("small"));
          }
          assertEquals(batch, bulk.get(30, TimeUnit.SECONDS));
          for (CompletableFuture<Optional<String>> get : small) {
            assertEquals(Optional.of("small-v"), get.get(30, TimeUnit.SECONDS));
          }
        }
        assertEquals(MEDIUM, ns.blocking().getAll(medium).size());

        // The batch: only on channels read by the bulk I/O thread, in MGETs of at most 500 keys.
        List<Traffic> batchChannels = watch.readOnBulkThread();
        List<Traffic> smallChannels = watch.withSmallGets();
        assertFalse(batchChannels.isEmpty(), "no channel read on kvstore-bulk-io: " + watch);
        int batchKeys = 0;
        for (Traffic t : batchChannels) {
          assertTrue(t.readOn.stream().allMatch(n -> n.startsWith("kvstore-bulk-io")),
              "a bulk channel was also read on " + t.readOn);
          assertEquals(0, t.smallGets.get(), "a small get went on the bulk connection: " + t);
          for (int keys : t.mgetKeys) {
            assertTrue(keys <= 500, "an MGET of " + keys + " keys on the bulk connection");
            batchKeys += keys;
          }
        }
        if (oneServer) {
          // 3 reads of 2,099 keys: 4 MGETs of 500 and one of 99 each, on the one bulk channel.
          assertEquals(1, batchChannels.size(), "bulk channels: " + batchChannels);
          assertEquals(3 * BULK, batchKeys);
          assertEquals(3 * 5, batchChannels.get(0).mgetKeys.size());
        }

        // Small gets and the medium batch: never on the bulk I/O thread; the medium batch in
        // one MGET of 1,000 keys (on one server), as maxKeysPerCommand allows there.
        assertFalse(smallChannels.isEmpty(), "no channel carried a small get: " + watch);
        for (Traffic t : smallChannels) {
          assertTrue(t.readOn.stream().noneMatch(n -> n.startsWith("kvstore-bulk-io")),
              "a small get's channel was read on " + t.readOn);
          assertTrue(t.mgetKeys.stream().allMatch(n -> n <= MEDIUM),
              "the batch went on a small get's channel: " + t);
        }
        if (oneServer) {
          assertEquals(List.of(MEDIUM), List.copyOf(smallChannels.get(0).mgetKeys));
          assertEquals(1, smallChannels.size());
        }
      }
      awaitNoBulkThread();
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitNoBulkThread() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<String> left = Thread.getAllStackTraces().keySet().stream()
          .filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith("kvstore-bulk-io")).toList();
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("bulk I/O threads left after close: " + left);
      }
      Thread.sleep(50);
    }
  }

  /** What one channel carried: the MGETs' key counts, small gets, the threads that read it. */
  static final class Traffic {
    final String name;
    final Queue<Integer> mgetKeys = new ConcurrentLinkedQueue<>();
    final Set<String> readOn = ConcurrentHashMap.newKeySet();
    final AtomicInteger smallGets = new AtomicInteger();

    Traffic(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name + "[mget keys " + mgetKeys + ", small gets " + smallGets + ", read on "
          + readOn + "]";
    }
  }

  /**
   * Watches every channel the store's clients open: a handler at the head of the pipeline
   * records the threads that read it, one at the tail the commands written on it, before
   * Lettuce encodes them.
   */
  static final class ChannelWatch implements NettyCustomizer {
    private final Queue<Traffic> channels = new ConcurrentLinkedQueue<>();

    @Override
    public void afterChannelInitialized(Channel channel) {
      Traffic traffic = new Traffic(channel.toString());
      channels.add(traffic);
      channel.pipeline().addFirst("test-reads", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          traffic.readOn.add(Thread.currentThread().getName().replaceAll("-\\d+$", ""));
          ctx.fireChannelRead(msg);
        }
      });
      channel.pipeline().addLast("test-writes", new ChannelOutboundHandlerAdapter() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
          if (msg instanceof Collection<?> commands) {
            commands.forEach(c -> record(traffic, c));
          } else {
            record(traffic, msg);
          }
          ctx.write(msg, promise);
        }
      });
    }

    private static void record(Traffic traffic, Object msg) {
      if (!(msg instanceof RedisCommand<?, ?, ?> command) || command.getArgs() == null) {
        return;
      }
      String type = command.getType().toString();
      if (type.equals("MGET")) {
        traffic.mgetKeys.add(command.getArgs().count());
      } else if (type.equals("GET")) {
        ByteBuffer key = command.getArgs().getFirstEncodedKey();
        if (key != null && StandardCharsets.UTF_8.decode(key.duplicate()).toString()
            .endsWith("small")) {
          traffic.smallGets.incrementAndGet();
        }
      }
    }

    /** The channels read, at least once, on the bulk I/O thread. */
    List<Traffic> readOnBulkThread() {
      return channels.stream()
          .filter(t -> t.readOn.stream().anyMatch(n -> n.startsWith("kvstore-bulk-io")))
          .toList();
    }

    /** The channels that carried a GET of the small key. */
    List<Traffic> withSmallGets() {
      return channels.stream().filter(t -> t.smallGets.get() > 0).toList();
    }

    @Override
    public String toString() {
      return channels.toString();
    }
  }
}

package io.kvstore.redis.internal.listing;

import io.kvstore.Listing;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Pttl;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.redis.internal.protocol.ScriptArgs;
import io.kvstore.redis.internal.transport.LuaScript;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code reindex()} of an indexed namespace: moves the keys written under SCAN into the indexed
 * layout while the application keeps writing, then indexes every value of the indexed layout.
 * The rule it keeps (a key written or deleted through the indexed namespace never gets an old
 * value back), the marks, fences and the grace wait are explained under "Migration" in
 * {@link IndexedListing}'s design essay. It walks the keyspace with its own plain SCAN loop
 * ({@link #walk}): every key once, no pages, no cursor for a caller. Thread-safe.
 */
final class IndexMigration {
  /**
   * {@code move-in.lua}. KEYS: index, value keys. ARGV: value-key prefix, then per value key:
   * value, PTTL (-1 for none). Writes and indexes each value unless its key exists or has a
   * fence; returns 1 (moved) or 0 per key.
   */
  private static final LuaScript MOVE_IN = script("move-in.lua");

  /**
   * {@code delete-if-same.lua}. KEYS: the old key. ARGV: SHA-1 of the value read. Deletes the
   * key if it still holds it.
   */
  private static final LuaScript DELETE_IF_SAME = script("delete-if-same.lua");

  /**
   * {@code index-existing.lua}. KEYS: index, value keys. ARGV: value-key prefix. Indexes the keys
   * that exist; counts them.
   */
  private static final LuaScript INDEX_EXISTING = script("index-existing.lua");

  private final Transport transport;
  private final RedisKvOptions options;

  IndexMigration(Transport transport, RedisKvOptions options) {
    this.transport = transport;
    this.options = options;
  }

  private static LuaScript script(String name) {
    return new LuaScript(LuaScript.source(IndexMigration.class, name));
  }

  /**
   * Marks the partitions holding SCAN-layout keys migrating, waits out the writes already in
   * flight, moves the SCAN-layout keys into the indexed layout, then indexes every indexed value.
   */
  CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    String oldKeys = RedisKeys.matchPattern(ns.name(), "");
    CompletableFuture<Long> marked = Listing.INDEXED.equals(ns.listing())
        ? transport.dispatch(call, List.of(mark(ns.name(), ""))).thenApply(m -> 0L)
        : walk(call, oldKeys, keys -> transport.dispatch(call, marks(ns, keys)).thenApply(m -> 0L));
    Executor afterGrace = CompletableFuture.delayedExecutor(options.timeout().toMillis(),
        TimeUnit.MILLISECONDS);
    return marked
        .thenComposeAsync(m -> walk(call, oldKeys, keys -> moveIn(call, ns, keys)), afterGrace)
        .thenCompose(moved -> walk(call, RedisKeys.indexedPattern(ns.name()),
            keys -> indexExisting(call, ns, keys)));
  }

  /** Marks (again) the partitions of a batch of SCAN-layout keys migrating. */
  private List<Routed<?>> marks(BackendNamespace ns, List<String> oldKeys) {
    List<Routed<?>> marks = new ArrayList<>();
    for (String partition : RedisKeys.byPartition(ns, oldKeys.stream()
        .map(old -> RedisKeys.strip(ns.name(), old)).toList()).keySet()) {
      marks.add(mark(ns.name(), partition));
    }
    return marks;
  }

  private static Routed<String> mark(String namespace, String partition) {
    String mark = RedisKeys.migratingKey(namespace, partition);
    return Commands.set(mark, RedisKeys.bytes("1"),
        SetArgs.Builder.px(IndexedListing.MIGRATION_FENCE_MILLIS));
  }

  /**
   * One batch of SCAN-layout keys: renew the marks and read the keys, move them into the indexed
   * layout unless written or fenced there, then delete the old keys that still hold the value
   * read.
   */
  private CompletableFuture<Long> moveIn(BackendCall call, BackendNamespace ns,
      List<String> oldKeys) {
    List<Routed<byte[]>> gets = new ArrayList<>(oldKeys.size());
    List<Routed<Long>> ttls = new ArrayList<>(oldKeys.size());
    List<Routed<?>> reads = marks(ns, oldKeys);
    for (String old : oldKeys) {
      Routed<byte[]> get = Commands.get(old);
      Routed<Long> pttl = Commands.pttl(old);
      gets.add(get);
      ttls.add(pttl);
      reads.add(get);
      reads.add(pttl);
    }
    return transport.dispatch(call, reads).thenCompose(read -> {
      List<String> keys = new ArrayList<>();
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < oldKeys.size(); i++) {
        long ttl = ttls.get(i).result.join();
        if (gets.get(i).result.join() != null && Pttl.copyable(ttl)) {
          keys.add(RedisKeys.strip(ns.name(), oldKeys.get(i)));
          live.add(i);
        }
      }
      if (keys.isEmpty()) {
        return CompletableFuture.completedFuture(0L);
      }
      List<LuaScript.Invocation<List<Object>>> moves = new ArrayList<>();
      for (Map.Entry<String, List<Integer>> part : RedisKeys.byPartition(ns, keys).entrySet()) {
        String prefix = RedisKeys.valuePrefix(ns.name(), part.getKey());
        for (List<Integer> chunk : Transport.chunks(part.getValue(),
            options.maxKeysPerCommand())) {
          List<String> scriptKeys = new ArrayList<>(chunk.size() + 1);
          List<byte[]> args = new ArrayList<>(chunk.size() * 2 + 1);
          scriptKeys.add(RedisKeys.indexKey(ns.name(), part.getKey()));
          args.add(RedisKeys.bytes(prefix));
          for (int j : chunk) {
            int i = live.get(j);
            scriptKeys.add(prefix + keys.get(j));
            args.add(gets.get(i).result.join());
            args.add(ScriptArgs.number(ttls.get(i).result.join()));
          }
          moves.add(MOVE_IN.invoke(scriptKeys, args,
              () -> new NestedMultiOutput<>(Commands.CODEC)));
        }
      }
      List<LuaScript.Invocation<Long>> deletes = new ArrayList<>(live.size());
      for (int i : live) {
        deletes.add(DELETE_IF_SAME.invoke(List.of(oldKeys.get(i)),
            List.of(RedisKeys.bytes(LuaScript.sha1(gets.get(i).result.join()))),
            () -> new IntegerOutput<>(Commands.CODEC)));
      }
      return LuaScript.run(transport, call, moves)
          .thenCompose(moved -> LuaScript.run(transport, call, deletes))
          .thenApply(deleted -> moves.stream()
              .mapToLong(m -> m.result.join().stream().mapToLong(n -> (Long) n).sum())
              .sum());
    });
  }

  /** One batch of keys that look like indexed values: index those that exist, count them. */
  private CompletableFuture<Long> indexExisting(BackendCall call, BackendNamespace ns,
      List<String> found) {
    Map<String, List<String>> byTag = new LinkedHashMap<>();
    for (String key : found) {
      String tag = RedisKeys.tagOfValueKey(ns.name(), key);
      if (tag != null) {
        byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(key);
      }
    }
    List<LuaScript.Invocation<Long>> scripts = new ArrayList<>();
    for (Map.Entry<String, List<String>> tag : byTag.entrySet()) {
      List<String> valueKeys = tag.getValue();
      int max = options.maxKeysPerCommand();
      for (int from = 0; from < valueKeys.size(); from += max) {
        List<String> scriptKeys = new ArrayList<>();
        scriptKeys.add(RedisKeys.indexKeyOfTag(tag.getKey()));
        scriptKeys.addAll(valueKeys.subList(from, Math.min(valueKeys.size(), from + max)));
        scripts.add(INDEX_EXISTING.invoke(scriptKeys,
            List.of(RedisKeys.bytes(RedisKeys.valuePrefixOfTag(tag.getKey()))),
            () -> new IntegerOutput<>(Commands.CODEC)));
      }
    }
    if (scripts.isEmpty()) {
      return CompletableFuture.completedFuture(0L);
    }
    return LuaScript.run(transport, call, scripts)
        .thenApply(done -> scripts.stream().mapToLong(s -> s.result.join()).sum());
  }

  /**
   * SCANs every node for {@code match}, handing each non-empty reply to {@code batch} before
   * the next SCAN call, and sums what the batches return.
   */
  private CompletableFuture<Long> walk(BackendCall call, String match,
      Function<List<String>, CompletableFuture<Long>> batch) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    walkStep(call, match, batch, 0, "0", 0, result);
    return result;
  }

  private void walkStep(BackendCall call, String match,
      Function<List<String>, CompletableFuture<Long>> batch, int node, String cursor, long sum,
      CompletableFuture<Long> result) {
    if (node == transport.scanNodes()) {
      result.complete(sum);
      return;
    }
    call.recordRoundTrip(1);
    transport.scan(node, cursor, match, options.scanCount())
        .thenCompose(reply -> (reply.getKeys().isEmpty() ? CompletableFuture.completedFuture(0L)
            : batch.apply(reply.getKeys())).thenApply(n -> Map.entry(reply, n)))
        .whenComplete((step, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
            return;
          }
          KeyScanCursor<String> reply = step.getKey();
          long total = sum + step.getValue();
          try {
            if (reply.isFinished()) {
              walkStep(call, match, batch, node + 1, "0", total, result);
            } else {
              walkStep(call, match, batch, node, reply.getCursor(), total, result);
            }
          } catch (RuntimeException failure) {
            result.completeExceptionally(failure);
          }
        });
  }
}

package io.kvstore.redis.internal;

import io.kvstore.KvSwap;
import io.kvstore.redis.internal.invalidation.InvalidationPublisher;
import io.kvstore.redis.internal.listing.IndexedListing;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.ScriptArgs;
import io.kvstore.redis.internal.transport.LuaScript;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.RawSwap;
import io.lettuce.core.output.IntegerOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Conditional writes on Redis ({@code replace}, {@code deleteIf}, {@code update}, read repair):
 * a Lua script per key reads the stored value, compares its {@code redis.sha1hex} with the
 * expected digest (or checks the key is absent) and only then sets the replacement, with the
 * write's expiry ({@code PX}, {@code PXAT}, {@code KEEPTTL} or none), or deletes the key. A
 * script runs atomically on the server, so no write lands between the compare and the set: no
 * {@code WATCH}, no transaction, no extra round trip. It answers 0 (applied), 1 (changed) or 2
 * (missing).
 *
 * <p>All swaps of a batch go in one dispatch; each script declares its keys, all in one slot, so
 * in Cluster it runs where its key lives. In an indexed namespace the script also declares the
 * partition's index (same hash tag) and keeps it right: a created key is added, a deleted one
 * removed, and a fence left while a reindex marks the partition migrating, as the write and
 * delete scripts do ({@link IndexedListing}). Unlike a put, a conditional write does not delete
 * the key's old-layout copy: it must not touch anything when its condition fails.
 *
 * <p>Native commands ({@code SET ... IFEQ} in Valkey 8.1, {@code IFDEQ} in Redis 8.4) are not
 * used: the servers tested here are Redis 7, and the script works on every version.
 *
 * <p>The keys of applied swaps are published as invalidations once applied ({@link
 * InvalidationPublisher#publishAfter}: the caller waits for the PUBLISH, one more round trip,
 * only on a near-cached namespace of a store without server tracking), except for swaps made by
 * a read (read repair), which store the same value in its current shape.
 */
final class CompareAndSet {
  /**
   * {@code compare-and-set.lua}, with the listing helpers (for {@code fence}). KEYS: the value
   * key, then the index for indexed namespaces. ARGV: expected SHA-1 (empty: must be absent),
   * replacement, mode (N none, P px, A pxat, K keepttl, D delete), expiry millis, index member,
   * value-key prefix.
   */
  private static final LuaScript SWAP = IndexedListing.withHelpers(
      LuaScript.source(CompareAndSet.class, "compare-and-set.lua"));

  private static final KvSwap[] OUTCOMES = {KvSwap.APPLIED, KvSwap.CHANGED, KvSwap.MISSING};

  private CompareAndSet() {}

  /** Runs the swaps in one round trip, then publishes the applied ones' keys. */
  static CompletableFuture<List<KvSwap>> run(Transport transport,
      InvalidationPublisher invalidations, BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    List<LuaScript.Invocation<Long>> scripts = new ArrayList<>(swaps.size());
    boolean indexed = ns.listing().indexed();
    for (RawSwap swap : swaps) {
      String valueKey = RedisKeys.value(ns, swap.key());
      List<String> keys = new ArrayList<>(2);
      keys.add(valueKey);
      String prefix = "";
      if (indexed) {
        String partition = ns.partitionOf(swap.key());
        keys.add(RedisKeys.indexKey(ns.name(), partition));
        prefix = RedisKeys.valuePrefix(ns.name(), partition);
      }
      List<byte[]> args = new ArrayList<>(6);
      args.add(RedisKeys.bytes(swap.expected() == null ? "" : swap.expected()));
      byte[] replacement = swap.replacement();
      if (replacement == null) {
        args.add(new byte[0]);
        args.add(RedisKeys.bytes("D"));
        args.add(RedisKeys.bytes("0"));
      } else {
        args.add(replacement);
        ScriptArgs.addExpiry(args, swap.expiry());
      }
      args.add(RedisKeys.bytes(swap.key()));
      args.add(RedisKeys.bytes(prefix));
      scripts.add(SWAP.invoke(keys, args, () -> new IntegerOutput<>(Commands.CODEC)));
    }
    CompletableFuture<List<KvSwap>> outcomes = LuaScript.run(transport, call, scripts)
        .thenApply(done -> scripts.stream()
            .map(s -> OUTCOMES[s.result.join().intValue()])
            .toList());
    if (isRead(call)) {
      return outcomes;
    }
    // Applied keys once applied; every key if the outcome is unknown (a timeout).
    List<String> all = swaps.stream().map(RawSwap::key).toList();
    return outcomes.handle((result, error) -> invalidations.publishAfter(call, ns,
        error != null ? all : applied(swaps, result), outcomes))
        .thenCompose(Function.identity());
  }

  private static List<String> applied(List<RawSwap> swaps, List<KvSwap> outcomes) {
    List<String> applied = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == KvSwap.APPLIED) {
        applied.add(swaps.get(i).key());
      }
    }
    return applied;
  }

  /** A swap made by a read is read repair: the same value, nothing to invalidate. */
  private static boolean isRead(BackendCall call) {
    return call.operation().isRead();
  }
}

package io.kvstore.redis.internal;

import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.transport.LuaScript;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.RawSwap;
import io.lettuce.core.output.IntegerOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Compare-and-set on Redis, for read-repair: a Lua script per key compares the stored value with
 * the one the read saw and sets the replacement only if they are equal, keeping the TTL
 * ({@code KEEPTTL}). A script runs atomically on the server, so no write can land between the
 * compare and the set: no {@code WATCH}, no transaction, no extra round trip. The script gets the
 * SHA-1 of the expected value rather than the value itself, so a swap sends the old value's 40
 * hex characters and the new value. All swaps of a batch go in one dispatch (grouped by node in
 * Cluster: each script declares its one key, so it runs where that key lives); keys of indexed
 * namespaces already exist, so their index needs no change.
 */
final class CompareAndSet {
  /**
   * {@code compare-and-set.lua}. KEYS: the value key. ARGV: SHA-1 of the expected value, the
   * replacement.
   */
  private static final LuaScript SWAP =
      new LuaScript(LuaScript.source(CompareAndSet.class, "compare-and-set.lua"));

  private CompareAndSet() {}

  /** Runs the swaps in one round trip; one element per swap: whether it applied. */
  static CompletableFuture<List<Boolean>> run(Transport transport, BackendCall call,
      BackendNamespace ns, List<RawSwap> swaps) {
    List<LuaScript.Invocation<Long>> scripts = new ArrayList<>(swaps.size());
    for (RawSwap swap : swaps) {
      byte[] expected = LuaScript.sha1(swap.expected()).getBytes(StandardCharsets.US_ASCII);
      scripts.add(SWAP.invoke(List.of(RedisKeys.value(ns, swap.key())),
          List.of(expected, swap.replacement()), () -> new IntegerOutput<>(Commands.CODEC)));
    }
    return LuaScript.run(transport, call, scripts).thenApply(done -> scripts.stream()
        .map(s -> s.result.join() == 1L)
        .toList());
  }
}

package io.kvstore.redis.internal;

import io.kvstore.redis.internal.invalidation.InvalidationPublisher;
import io.kvstore.redis.internal.listing.IndexedListing;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.ScriptArgs;
import io.kvstore.redis.internal.transport.LuaScript;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawIncrement;
import io.lettuce.core.output.ValueOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Counters on Redis ({@code increment}): one Lua script per call, so the whole increment is one
 * round trip and atomic. It checks the stored text is a counter (the form {@code INCRBY}
 * accepts), adds with {@code INCRBY} (which refuses an overflow and keeps the key's TTL), checks
 * the bounds and, if the result passes one, puts the old value back ({@code SET ... KEEPTTL}, or
 * {@code DEL} for a counter it had just created) within the same script, so no client sees it.
 * A counter it creates gets the namespace's expiry ({@code PEXPIRE} or {@code PEXPIREAT}); an
 * existing one keeps its own.
 *
 * <p>Bounds are compared as decimal text, not as Lua numbers: Lua 5.1's doubles are exact only
 * up to 2^53, and counters use the whole {@code long} range. The reply is one bulk string: a
 * letter (A applied, R refused, N not a number, O overflow) and the value as decimal text.
 *
 * <p>A script touches one slot: in an indexed namespace it declares the partition's index (same
 * hash tag) and adds the key to it, fencing a migrating partition as the write script does
 * ({@link IndexedListing}). An applied increment is published as an invalidation once applied,
 * as a write is ({@link InvalidationPublisher#publishAfter}: one more round trip only on a
 * near-cached namespace of a store without server tracking).
 */
final class Increment {
  /**
   * {@code increment.lua}, with the listing helpers (for {@code fence}). KEYS: the value key,
   * then the index for indexed namespaces. ARGV: delta, min and max (empty: none), mode and
   * millis of a created counter's expiry (N none, P px, A pxat), index member, value-key prefix.
   */
  private static final LuaScript SCRIPT = IndexedListing.withHelpers(
      LuaScript.source(Increment.class, "increment.lua"));

  private Increment() {}

  /** Runs the increment in one round trip, then publishes the key if it was applied. */
  static CompletableFuture<RawCount> run(Transport transport,
      InvalidationPublisher invalidations, BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    List<String> keys = new ArrayList<>(2);
    keys.add(RedisKeys.value(ns, increment.key()));
    String prefix = "";
    if (ns.listing().indexed()) {
      String partition = ns.partitionOf(increment.key());
      keys.add(RedisKeys.indexKey(ns.name(), partition));
      prefix = RedisKeys.valuePrefix(ns.name(), partition);
    }
    List<byte[]> args = new ArrayList<>(7);
    args.add(ScriptArgs.number(increment.delta()));
    args.add(increment.min() == Long.MIN_VALUE ? new byte[0] : ScriptArgs.number(increment.min()));
    args.add(increment.max() == Long.MAX_VALUE ? new byte[0] : ScriptArgs.number(increment.max()));
    ScriptArgs.addExpiry(args, increment.expiry());
    args.add(RedisKeys.bytes(increment.key()));
    args.add(RedisKeys.bytes(prefix));
    LuaScript.Invocation<byte[]> script =
        SCRIPT.invoke(keys, args, () -> new ValueOutput<>(Commands.CODEC));
    CompletableFuture<RawCount> outcome = LuaScript.run(transport, call, List.of(script))
        .thenApply(done -> parse(script.result.join()));
    // Published once applied (also if the outcome is unknown, a timeout), never in the script's
    // own dispatch: a NOSCRIPT retry would run the script after the PUBLISH, and a peer could
    // reload and keep the old value in between. So a near-cached namespace waits one more
    // round trip, as for conditional writes and indexed writes.
    return outcome.handle((count, error) -> invalidations.publishAfter(call, ns,
            error != null || count.status() == RawCount.Status.APPLIED
                ? List.of(increment.key()) : List.of(), outcome))
        .thenCompose(Function.identity());
  }

  private static RawCount parse(byte[] reply) {
    String text = new String(reply, StandardCharsets.US_ASCII);
    RawCount.Status status = switch (text.charAt(0)) {
      case 'A' -> RawCount.Status.APPLIED;
      case 'R' -> RawCount.Status.REFUSED;
      case 'N' -> RawCount.Status.NOT_A_NUMBER;
      case 'O' -> RawCount.Status.OVERFLOW;
      default -> throw new IllegalStateException("unexpected increment reply " + text);
    };
    return new RawCount(status, text.length() == 1 ? 0 : Long.parseLong(text.substring(1)));
  }
}

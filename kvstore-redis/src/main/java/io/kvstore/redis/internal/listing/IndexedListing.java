package io.kvstore.redis.internal.listing;

import io.kvstore.KvValidationException;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.invalidation.InvalidationPublisher;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Pttl;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.redis.internal.protocol.ScriptArgs;
import io.kvstore.redis.internal.transport.LuaScript;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawWrite;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis side of {@link io.kvstore.Listing#INDEXED} namespaces: writes, deletes and listing
 * through Lua scripts (the {@code .lua} resources of this package) that keep a sorted-set index
 * per partition; {@code reindex} is {@link IndexMigration}'s. The design essay opens the class
 * body. Thread-safe.
 */
public final class IndexedListing implements ListingStrategy {
  /*
   * Indexed listing: why and how.
   *
   * SCAN ... MATCH walks the whole keyspace to find one prefix: listing one user's 64 workouts on a
   * server with millions of keys takes thousands of SCAN calls and many empty pages. An indexed
   * namespace keeps, next to its values, a sorted set per partition whose members are the keys
   * (without namespace), all scored 0. Redis orders equal-score members by their bytes, so
   * ZRANGEBYLEX from "[prefix" to "[prefix\xff" (no UTF-8 string contains the byte 0xFF, so every
   * key starting with the prefix sorts before it) is exactly the prefix, in UTF-8 byte order (code
   * point order, as the embedded store), at O(log N + page). A page resumes from "(last-key", so
   * the cursor is the last key examined and a walk returns every key that existed throughout
   * exactly once, whatever other keys writers add or delete meanwhile.
   *
   * Atomicity. The value and its index member must never disagree, so every write, delete and
   * listing is one Lua script per partition (EVALSHA, see LuaScript; the sources are the .lua
   * resources next to this class). A batch is grouped by
   * partition, each group chunked to maxKeysPerCommand keys per script, and all scripts go out in
   * one dispatch: one round trip per batch, as for SCAN namespaces. A script declares the index and
   * the value keys it writes; it also reads value keys it finds in the index (listing, sweeps),
   * which Cluster allows because they carry the index's hash tag and so live in its slot (RedisKeys
   * has the exact names).
   *
   * Expiry. Redis expires values, not index members, so the index holds stale members. Listing
   * never returns one: the listing script reads each member's value (GET, or GETEX PX under a
   * sliding TTL) or checks EXISTS, returns only live keys with their PTTL, ZREMs the dead ones and
   * keeps ranging until the page is full, all in the same script, so keys that expire between pages
   * never appear. A listing script examines at most limit + LIST_PRUNE_BUDGET members; when stale
   * members exhaust that budget it returns a short page whose cursor resumes after the last member
   * examined, so one call never blocks the server for long.
   *
   * Sweep bound. Pruning while listing only cleans prefixes someone lists, so every write script
   * also sweeps: it examines the next max(SWEEP_MIN, 2 x its batch) index members after the
   * partition's sweep position ({T}/sweep), removes those whose value is gone, and wraps to the
   * start at the end of the index. A write adds at most its batch to the index and sweeps twice
   * that, so a sweep cycle over N members finishes within N / (2 x batch) writes, during which
   * writes add at most N / 2 members: every member whose key expired is removed within two sweep
   * cycles, and the index holds at most the live keys plus those that expired during the last two
   * cycles. The extra work per write is bounded by the sweep size (EXISTS per member examined, one
   * ZRANGEBYLEX, one ZREM), whatever the index size.
   *
   * Cluster. A script must find the index and the values it lists in one slot, so a partition's
   * keys share the hash tag {namespace:partition}. Listing.INDEXED has one partition: the whole
   * namespace is one slot on one master (fine for moderate namespaces; the node holding it takes
   * all of its traffic). Listing.indexedBy(fn) spreads partitions (one slot each) over the masters;
   * a single partition still cannot span nodes, so choose a function with many partitions of
   * moderate size, such as one per user with firstSegment(':'). A listed prefix must name one
   * partition: it maps to fn(prefix), and the adapter checks that fn gives that partition for the
   * prefix extended by a set of probe suffixes; with firstSegment(':') that is exactly "the prefix
   * contains the separator" ("user-42:" lists partition "user-42"; "user-4" is rejected, since
   * "user-42:..." and "user-43:..." are in other partitions).
   *
   * Migration (IndexMigration). The indexed layout is not the SCAN layout (values move from
   * ns:key to {T}:key, as Cluster requires), so a namespace written under SCAN is moved by
   * reindex(), while the application keeps writing through the indexed namespace. The rule: reindex never leaves an
   * old-layout value in place of a write or delete the indexed namespace made. Three parts:
   *
   * - Every indexed write and delete also deletes the key's old-layout copy (DEL ns:key, in the
   *   same dispatch as the script: no extra round trip; in Cluster it may reach other masters).
   *   A key deleted or overwritten before reindex starts therefore has nothing left to move, and
   *   a value that later expires cannot uncover an older one.
   * - Fences. Before moving anything, reindex marks every partition that holds SCAN-layout keys
   *   as migrating ({T}/migrating, a string with a TTL of MIGRATION_FENCE_MILLIS, renewed with
   *   every batch; a partitioned namespace needs one SCAN walk to find them), then waits the
   *   command timeout. While the mark exists, the write and delete scripts leave a fence per key
   *   ({T}/fence:key, same TTL). A batch then reads old values (GET, PTTL) and the move script
   *   writes a value into {T}:key only if that key does not exist and has no fence, atomically:
   *   a write or delete that ran after the mark is never overwritten by a value read before it.
   *   A write whose script ran before the mark has deleted its old-layout copy before any batch
   *   reads it, because that DEL, sent with the script, lands within the timeout the wait
   *   covers (in Cluster it goes to another master, so nothing else orders the two). Without a
   *   migration running, a write script pays one EXISTS, nothing more.
   *
   * A second SCAN walk indexes every value of the indexed layout that exists, which also repairs
   * a lost index; that count is the result. Three round trips per SCAN batch (renew the marks
   * and read, move, delete the old keys still unchanged), plus the marking and the wait; safe to
   * repeat. The guarantee assumes writers use a timeout no longer than the reindexing store's,
   * that no command of a batch waits longer than MIGRATION_FENCE_MILLIS in a stalled server, and
   * that nothing writes the SCAN layout any more (an old-layout write after its key was moved is
   * not moved again). Marks and fences expire by themselves after the migration.
   */

  /** How long a partition stays marked as migrating, and a write's fence lives, in ms. */
  static final long MIGRATION_FENCE_MILLIS = 600_000;

  /** Index members a listing script may examine beyond the page, pruning stale ones. */
  static final int LIST_PRUNE_BUDGET = 1000;

  /** The fewest index members a write script sweeps. */
  static final int SWEEP_MIN = 32;

  /** Suffixes a listed prefix is extended by to check that it names one partition. */
  private static final List<String> PROBES = List.of("", "0", "9", "A", "z", "~", "-", "_", ".",
      ":", "/", "|", "#", "@", " ", "\u00e9", "\u4e2d", "\uD83D\uDE00", "x:y/z");

  private static final String TOKEN_MARK = "i:";

  /**
   * Shared Lua helpers, prepended to the write, delete and listing scripts ({@code helpers.lua}).
   * {@code each} sends a variadic command in slices of 1000 arguments: {@code unpack} of a long
   * list overflows Lua's C stack. {@code sweep} examines the next {@code budget} index members
   * after the partition's sweep position and removes the dead ones. {@code fence} leaves a fence
   * per written key while a reindex marks the partition migrating.
   */
  private static final String HELPERS = LuaScript.source(IndexedListing.class, "helpers.lua")
      .replace("FENCE_MILLIS", Long.toString(MIGRATION_FENCE_MILLIS));

  /**
   * {@code write.lua}. KEYS: index, sweep position, value keys. ARGV: value-key prefix, sweep
   * budget, then per value key: value, expiry mode (N none, P px, A pxat, K keepttl), expiry
   * millis, NX flag (1 or 0). Returns 1 or 0 per write: applied or not (NX on an existing key).
   */
  private static final LuaScript WRITE = script("write.lua");

  /**
   * {@code delete.lua}. KEYS: index, value keys. ARGV: value-key prefix. Returns how many values
   * existed.
   */
  private static final LuaScript DELETE = script("delete.lua");

  /**
   * {@code list.lua}. KEYS: index. ARGV: value-key prefix, listing prefix, member to resume after
   * (or empty), limit, K (keys) or V (values), sliding TTL millis (or empty), examine budget.
   * Returns the resume member (empty when nothing follows), then per live key: key, [value,] PTTL.
   */
  private static final LuaScript LIST = script("list.lua");

  private final Transport transport;
  private final RedisKvOptions options;
  private final InvalidationPublisher invalidations;
  private final IndexMigration migration;

  /**
   * The indexed strategy of one store.
   *
   * @param transport the store's connection
   * @param options tuning
   * @param invalidations publishes the keys written, for near-cached namespaces
   */
  public IndexedListing(Transport transport, RedisKvOptions options,
      InvalidationPublisher invalidations) {
    this.transport = transport;
    this.options = options;
    this.invalidations = invalidations;
    this.migration = new IndexMigration(transport, options);
  }

  private static LuaScript script(String name) {
    return withHelpers(LuaScript.source(IndexedListing.class, name));
  }

  /**
   * A script that may call the listing helpers ({@code each}, {@code sweep}, {@code fence}):
   * for scripts outside this package that write indexed namespaces, such as conditional writes.
   *
   * @param source the script's own source
   * @return the script, helpers first
   */
  public static LuaScript withHelpers(String source) {
    return new LuaScript(HELPERS + source);
  }

  /** The {@code DEL}s of the keys' old-layout copies, sent along with every write and delete. */
  private List<Routed<Long>> deleteOldLayout(BackendNamespace ns, List<String> keys) {
    List<String> old = new ArrayList<>(keys.size());
    for (String key : keys) {
      old.add(RedisKeys.full(ns.name(), key));
    }
    return ScanListing.deletes(transport, old, options.maxKeysPerCommand());
  }

  // ---------------------------------------------------------------- writes

  /** The writes' scripts and the old-layout DELs in one round trip, then the invalidation. */
  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    Boolean[] applied = new Boolean[writes.size()];
    List<LuaScript.Invocation<List<Object>>> scripts = new ArrayList<>();
    List<List<Integer>> groups = new ArrayList<>();
    List<String> written = writes.stream().map(RawWrite::key).toList();
    for (Map.Entry<String, List<Integer>> part : RedisKeys.byPartition(ns, written).entrySet()) {
      String partition = part.getKey();
      String prefix = RedisKeys.valuePrefix(ns.name(), partition);
      for (List<Integer> chunk : Transport.chunks(part.getValue(), options.maxKeysPerCommand())) {
        List<String> keys = new ArrayList<>(chunk.size() + 2);
        keys.add(RedisKeys.indexKey(ns.name(), partition));
        keys.add(RedisKeys.sweepKey(ns.name(), partition));
        List<byte[]> args = new ArrayList<>(chunk.size() * 4 + 2);
        args.add(RedisKeys.bytes(prefix));
        args.add(ScriptArgs.number(Math.max(SWEEP_MIN, 2L * chunk.size())));
        for (int i : chunk) {
          RawWrite write = writes.get(i);
          keys.add(prefix + write.key());
          args.add(write.value());
          ScriptArgs.addExpiry(args, write.expiry());
          args.add(RedisKeys.bytes(write.ifAbsent() ? "1" : "0"));
        }
        scripts.add(WRITE.invoke(keys, args, () -> new NestedMultiOutput<>(Commands.CODEC)));
        groups.add(chunk);
      }
    }
    return invalidations.publishAfter(call, ns, written, LuaScript.run(transport, call, scripts,
        deleteOldLayout(ns, written)).thenApply(done -> {
      for (int s = 0; s < scripts.size(); s++) {
        List<Object> reply = scripts.get(s).result.join();
        List<Integer> chunk = groups.get(s);
        for (int j = 0; j < chunk.size(); j++) {
          applied[chunk.get(j)] = ((Long) reply.get(j)) == 1L;
        }
      }
      return List.of(applied);
    }));
  }

  /** The deletes' scripts and the old-layout DELs in one round trip, then the invalidation. */
  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    List<LuaScript.Invocation<Long>> scripts = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> part : RedisKeys.byPartition(ns, keys).entrySet()) {
      String prefix = RedisKeys.valuePrefix(ns.name(), part.getKey());
      for (List<Integer> chunk : Transport.chunks(part.getValue(), options.maxKeysPerCommand())) {
        List<String> scriptKeys = new ArrayList<>(chunk.size() + 1);
        scriptKeys.add(RedisKeys.indexKey(ns.name(), part.getKey()));
        chunk.forEach(i -> scriptKeys.add(prefix + keys.get(i)));
        scripts.add(DELETE.invoke(scriptKeys, List.of(RedisKeys.bytes(prefix)),
            () -> new IntegerOutput<>(Commands.CODEC)));
      }
    }
    return invalidations.publishAfter(call, ns, keys, LuaScript.run(transport, call, scripts,
        deleteOldLayout(ns, keys)).thenApply(done -> scripts.stream()
        .mapToLong(s -> s.result.join()).sum()));
  }

  // ---------------------------------------------------------------- listing

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return listScript(call, ns, request, false).thenApply(reply -> {
      Instant now = options.clock().instant();
      List<RawKey> keys = new ArrayList<>((reply.size() - 1) / 2);
      for (int i = 1; i < reply.size(); i += 2) {
        keys.add(new RawKey(text(reply.get(i)),
            Pttl.expiration((Long) reply.get(i + 1), now)));
      }
      return new RawPage<>(keys, token(reply));
    });
  }

  /** An indexed page with its values in one round trip. */
  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return listScript(call, ns, request, true).thenApply(reply -> {
      Instant now = options.clock().instant();
      List<RawEntry> entries = new ArrayList<>((reply.size() - 1) / 3);
      for (int i = 1; i < reply.size(); i += 3) {
        entries.add(new RawEntry(text(reply.get(i)), (byte[]) reply.get(i + 1),
            Pttl.expiration((Long) reply.get(i + 2), now)));
      }
      return new RawPage<>(entries, token(reply));
    });
  }

  /** One listing script: the page, its values if asked, and the pruning, in one round trip. */
  private CompletableFuture<List<Object>> listScript(BackendCall call, BackendNamespace ns,
      ListRequest request, boolean values) {
    String prefix = request.prefix();
    String after = resumeAfter(call, prefix, request.token());
    String partition = partitionOfPrefix(call, ns, prefix);
    List<byte[]> args = List.of(
        RedisKeys.bytes(RedisKeys.valuePrefix(ns.name(), partition)),
        RedisKeys.bytes(prefix),
        RedisKeys.bytes(after == null ? "" : after),
        ScriptArgs.number(request.limit()),
        RedisKeys.bytes(values ? "V" : "K"),
        request.slide() == null ? new byte[0] : ScriptArgs.number(request.slide().toMillis()),
        ScriptArgs.number(request.limit() + (long) LIST_PRUNE_BUDGET));
    LuaScript.Invocation<List<Object>> script = LIST.invoke(
        List.of(RedisKeys.indexKey(ns.name(), partition)), args,
        () -> new NestedMultiOutput<>(Commands.CODEC));
    return LuaScript.run(transport, call, List.of(script)).thenApply(done -> script.result.join());
  }

  /**
   * The key a page resumes after, from the backend token; {@code null} to start. A cursor is
   * attacker input, but the token can only move where the walk starts: the index and the value
   * keys come from the namespace and the prefix's partition, never from the token, and the
   * resume key is only the lower bound of {@code ZRANGEBYLEX} on that index. It must still be a
   * key of the prefix, as every honest one is, so a made-up one is refused before anything is
   * sent rather than silently ending or restarting the walk.
   */
  private static String resumeAfter(BackendCall call, String prefix, String token) {
    if (token == null) {
      return null;
    }
    if (!token.startsWith(TOKEN_MARK)) {
      throw new KvValidationException("cursor", call.describe()
          + ": cursor is not a position of this indexed listing (was it issued while the"
          + " namespace listed by SCAN?); start again without a cursor");
    }
    if (!token.startsWith(prefix, TOKEN_MARK.length())
        || token.length() == TOKEN_MARK.length()) {
      throw new KvValidationException("cursor", call.describe() + ": cursor names a key"
          + " outside the namespace and prefix being listed; pass the cursor of the previous"
          + " page of the same namespace and prefix, unchanged");
    }
    return token.substring(TOKEN_MARK.length());
  }

  private static String token(List<Object> reply) {
    String after = text(reply.get(0));
    return after.isEmpty() ? null : TOKEN_MARK + after;
  }

  /**
   * The partition a listed prefix names: {@code fn(prefix)}, provided every probe extension of
   * the prefix maps there too.
   *
   * @throws KvValidationException if the prefix spans partitions
   */
  private static String partitionOfPrefix(BackendCall call, BackendNamespace ns, String prefix) {
    String partition = ns.partitionOf(prefix);
    for (String probe : PROBES) {
      if (!partition.equals(ns.partitionOf(prefix + probe))) {
        throw new KvValidationException("prefix", call.describe() + ": the prefix does not name"
            + " one partition of this namespace's indexed listing; every key that starts with the"
            + " prefix must map to the partition of the prefix itself (with"
            + " Listing.firstSegment(separator), the prefix must contain the separator, as in"
            + " \"user-42:\")");
      }
    }
    return partition;
  }

  /**
   * Moves a namespace written under SCAN into the indexed layout and indexes every key it holds;
   * see {@link IndexMigration}.
   */
  @Override
  public CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    return migration.reindex(call, ns);
  }

  // ---------------------------------------------------------------- helpers

  private static String text(Object bulk) {
    return new String((byte[]) bulk, StandardCharsets.UTF_8);
  }
}

package io.kvstore.redis.internal;

import io.kvstore.KvValidationException;
import io.kvstore.Listing;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawWrite;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Redis side of {@link io.kvstore.Listing#INDEXED} namespaces: writes, deletes, listing and
 * reindexing through Lua scripts that keep a sorted-set index per partition. The design essay
 * opens the class body. Thread-safe.
 */
final class IndexedListing {
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
   * listing is one Lua script per partition (EVALSHA, see LuaScript). A batch is grouped by
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
   * Migration. The indexed layout is not the SCAN layout (values move from ns:key to {T}:key, as
   * Cluster requires), so a namespace written under SCAN is moved by reindex(), while the
   * application keeps writing through the indexed namespace. The rule: reindex never leaves an
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
   * Shared Lua helpers. {@code each} sends a variadic command in slices of 1000 arguments:
   * {@code unpack} of a long list overflows Lua's C stack. {@code sweep} examines the next
   * {@code budget} index members after the partition's sweep position and removes the dead ones.
   * {@code fence} leaves a fence per written key while a reindex marks the partition migrating.
   */
  private static final String HELPERS = """
      local function each(command, key, items)
        for i = 1, #items, 1000 do
          redis.call(command, key, unpack(items, i, math.min(i + 999, #items)))
        end
      end
      local function sweep(index, position, prefix, budget)
        local from = redis.call('GET', position)
        local batch = redis.call('ZRANGEBYLEX', index, from and ('(' .. from) or '-', '+',
          'LIMIT', 0, budget)
        local dead = {}
        for _, member in ipairs(batch) do
          if redis.call('EXISTS', prefix .. member) == 0 then dead[#dead + 1] = member end
        end
        each('ZREM', index, dead)
        if #batch < budget then
          redis.call('DEL', position)
        else
          redis.call('SET', position, batch[#batch])
        end
      end
      local function fence(prefix, names)
        local tag = string.sub(prefix, 1, -2)
        if redis.call('EXISTS', tag .. '/migrating') == 1 then
          for _, name in ipairs(names) do
            redis.call('SET', tag .. '/fence:' .. name, '1', 'PX', FENCE_MILLIS)
          end
        end
      end
      """.replace("FENCE_MILLIS", Long.toString(MIGRATION_FENCE_MILLIS));

  /**
   * KEYS: index, sweep position, value keys. ARGV: value-key prefix, sweep budget, then per value
   * key: value, expiry mode (N none, P px, A pxat, K keepttl), expiry millis, NX flag (1 or 0).
   * Returns 1 or 0 per write: applied or not (NX on an existing key).
   */
  private static final LuaScript WRITE = new LuaScript(HELPERS + """
      local index, prefix = KEYS[1], ARGV[1]
      local applied, members, names = {}, {}, {}
      for i = 3, #KEYS do
        local a = 3 + (i - 3) * 4
        local set = {'SET', KEYS[i], ARGV[a]}
        local mode = ARGV[a + 1]
        if mode == 'P' then set[4] = 'PX'; set[5] = ARGV[a + 2]
        elseif mode == 'A' then set[4] = 'PXAT'; set[5] = ARGV[a + 2]
        elseif mode == 'K' then set[4] = 'KEEPTTL' end
        if ARGV[a + 3] == '1' then set[#set + 1] = 'NX' end
        applied[#applied + 1] = redis.call(unpack(set)) and 1 or 0
        names[#names + 1] = string.sub(KEYS[i], #prefix + 1)
        members[#members + 1] = 0
        members[#members + 1] = names[#names]
      end
      each('ZADD', index, members)
      fence(prefix, names)
      sweep(index, KEYS[2], prefix, tonumber(ARGV[2]))
      return applied
      """);

  /** KEYS: index, value keys. ARGV: value-key prefix. Returns how many values existed. */
  private static final LuaScript DELETE = new LuaScript(HELPERS + """
      local prefix, removed, members = ARGV[1], 0, {}
      for i = 2, #KEYS do
        removed = removed + redis.call('DEL', KEYS[i])
        members[#members + 1] = string.sub(KEYS[i], #prefix + 1)
      end
      each('ZREM', KEYS[1], members)
      fence(prefix, members)
      return removed
      """);

  /**
   * KEYS: index. ARGV: value-key prefix, listing prefix, member to resume after (or empty),
   * limit, K (keys) or V (values), sliding TTL millis (or empty), examine budget. Returns the
   * resume member (empty when nothing follows), then per live key: key, [value,] PTTL.
   */
  private static final LuaScript LIST = new LuaScript(HELPERS + """
      local index, prefix, listed = KEYS[1], ARGV[1], ARGV[2]
      local min = ARGV[3] ~= '' and ('(' .. ARGV[3]) or ('[' .. listed)
      local max = listed ~= '' and ('[' .. listed .. string.char(255)) or '+'
      local limit, values, slide, budget = tonumber(ARGV[4]), ARGV[5] == 'V', ARGV[6],
        tonumber(ARGV[7])
      local out, dead = {''}, {}
      local found, examined, exhausted, last = 0, 0, false, nil
      while found < limit and examined < budget do
        local want = math.min(limit - found, budget - examined)
        local batch = redis.call('ZRANGEBYLEX', index, min, max, 'LIMIT', 0, want)
        for _, member in ipairs(batch) do
          local key = prefix .. member
          local live
          if values then
            if slide ~= '' then live = redis.call('GETEX', key, 'PX', slide)
            else live = redis.call('GET', key) end
          else
            live = redis.call('EXISTS', key) == 1
          end
          if live then
            out[#out + 1] = member
            if values then out[#out + 1] = live end
            out[#out + 1] = redis.call('PTTL', key)
            found = found + 1
          else
            dead[#dead + 1] = member
          end
        end
        examined = examined + #batch
        if #batch < want then exhausted = true; break end
        last = batch[#batch]
        min = '(' .. last
      end
      each('ZREM', index, dead)
      if not exhausted and #redis.call('ZRANGEBYLEX', index, min, max, 'LIMIT', 0, 1) > 0 then
        out[1] = last
      end
      return out
      """);

  /**
   * KEYS: index, value keys. ARGV: value-key prefix, then per value key: value, PTTL (-1 for
   * none). Writes and indexes each value unless its key exists or has a fence; returns 1 (moved)
   * or 0 per key.
   */
  private static final LuaScript MOVE_IN = new LuaScript("""
      local prefix = ARGV[1]
      local tag, moved = string.sub(prefix, 1, -2), {}
      for i = 2, #KEYS do
        local value, ttl = ARGV[2 * i - 2], tonumber(ARGV[2 * i - 1])
        local name = string.sub(KEYS[i], #prefix + 1)
        if redis.call('EXISTS', KEYS[i]) == 0
            and redis.call('EXISTS', tag .. '/fence:' .. name) == 0 then
          if ttl > 0 then redis.call('SET', KEYS[i], value, 'PX', ttl)
          else redis.call('SET', KEYS[i], value) end
          redis.call('ZADD', KEYS[1], 0, name)
          moved[#moved + 1] = 1
        else
          moved[#moved + 1] = 0
        end
      end
      return moved
      """);

  /**
   * KEYS: the old key. ARGV: SHA-1 of the value read. Deletes the key if it still holds it.
   */
  private static final LuaScript DELETE_IF_SAME = new LuaScript("""
      local value = redis.call('GET', KEYS[1])
      if value and redis.sha1hex(value) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """);

  /** KEYS: index, value keys. ARGV: value-key prefix. Indexes the keys that exist; counts them. */
  private static final LuaScript INDEX_EXISTING = new LuaScript("""
      local prefix, indexed = ARGV[1], 0
      for i = 2, #KEYS do
        if redis.call('EXISTS', KEYS[i]) == 1 then
          redis.call('ZADD', KEYS[1], 0, string.sub(KEYS[i], #prefix + 1))
          indexed = indexed + 1
        end
      end
      return indexed
      """);

  private final Transport transport;
  private final RedisKvOptions options;
  private final boolean cluster;

  IndexedListing(Transport transport, RedisKvOptions options, boolean cluster) {
    this.transport = transport;
    this.options = options;
    this.cluster = cluster;
  }

  /** The {@code DEL}s of the keys' old-layout copies, sent along with every write and delete. */
  private List<Routed<Long>> deleteOldLayout(BackendNamespace ns, List<String> keys) {
    List<String> old = new ArrayList<>(keys.size());
    for (String key : keys) {
      old.add(RedisKeys.full(ns.name(), key));
    }
    return RedisBackend.deletes(old, options.maxKeysPerCommand(), cluster);
  }

  // ---------------------------------------------------------------- writes

  CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    Boolean[] applied = new Boolean[writes.size()];
    List<LuaScript.Invocation<List<Object>>> scripts = new ArrayList<>();
    List<List<Integer>> groups = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> part : byPartition(ns,
        writes.stream().map(RawWrite::key).toList()).entrySet()) {
      String partition = part.getKey();
      String prefix = RedisKeys.valuePrefix(ns.name(), partition);
      for (List<Integer> chunk : chunks(part.getValue())) {
        List<String> keys = new ArrayList<>(chunk.size() + 2);
        keys.add(RedisKeys.indexKey(ns.name(), partition));
        keys.add(RedisKeys.sweepKey(ns.name(), partition));
        List<byte[]> args = new ArrayList<>(chunk.size() * 4 + 2);
        args.add(RedisKeys.bytes(prefix));
        args.add(number(Math.max(SWEEP_MIN, 2L * chunk.size())));
        for (int i : chunk) {
          RawWrite write = writes.get(i);
          keys.add(prefix + write.key());
          args.add(write.value());
          addExpiry(args, write.expiry());
          args.add(RedisKeys.bytes(write.ifAbsent() ? "1" : "0"));
        }
        scripts.add(WRITE.invoke(keys, args, () -> new NestedMultiOutput<>(RedisBackend.CODEC)));
        groups.add(chunk);
      }
    }
    List<String> written = writes.stream().map(RawWrite::key).toList();
    return LuaScript.run(transport, call, scripts, deleteOldLayout(ns, written))
        .thenApply(done -> {
      for (int s = 0; s < scripts.size(); s++) {
        List<Object> reply = scripts.get(s).result.join();
        List<Integer> chunk = groups.get(s);
        for (int j = 0; j < chunk.size(); j++) {
          applied[chunk.get(j)] = ((Long) reply.get(j)) == 1L;
        }
      }
      return List.of(applied);
    });
  }

  private static void addExpiry(List<byte[]> args, Expiry expiry) {
    if (expiry instanceof Expiry.After after) {
      args.add(RedisKeys.bytes("P"));
      args.add(number(after.ttl().toMillis()));
    } else if (expiry instanceof Expiry.At at) {
      args.add(RedisKeys.bytes("A"));
      args.add(number(at.instant().toEpochMilli()));
    } else {
      args.add(RedisKeys.bytes(expiry instanceof Expiry.Keep ? "K" : "N"));
      args.add(number(0));
    }
  }

  CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns, List<String> keys) {
    List<LuaScript.Invocation<Long>> scripts = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> part : byPartition(ns, keys).entrySet()) {
      String prefix = RedisKeys.valuePrefix(ns.name(), part.getKey());
      for (List<Integer> chunk : chunks(part.getValue())) {
        List<String> scriptKeys = new ArrayList<>(chunk.size() + 1);
        scriptKeys.add(RedisKeys.indexKey(ns.name(), part.getKey()));
        chunk.forEach(i -> scriptKeys.add(prefix + keys.get(i)));
        scripts.add(DELETE.invoke(scriptKeys, List.of(RedisKeys.bytes(prefix)),
            () -> new IntegerOutput<>(RedisBackend.CODEC)));
      }
    }
    return LuaScript.run(transport, call, scripts, deleteOldLayout(ns, keys))
        .thenApply(done -> scripts.stream().mapToLong(s -> s.result.join()).sum());
  }

  // ---------------------------------------------------------------- listing

  CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return listScript(call, ns, request, false).thenApply(reply -> {
      Instant now = options.clock().instant();
      List<RawKey> keys = new ArrayList<>((reply.size() - 1) / 2);
      for (int i = 1; i < reply.size(); i += 2) {
        keys.add(new RawKey(text(reply.get(i)), expiration(now, (Long) reply.get(i + 1))));
      }
      return new RawPage<>(keys, token(reply));
    });
  }

  CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return listScript(call, ns, request, true).thenApply(reply -> {
      Instant now = options.clock().instant();
      List<RawEntry> entries = new ArrayList<>((reply.size() - 1) / 3);
      for (int i = 1; i < reply.size(); i += 3) {
        entries.add(new RawEntry(text(reply.get(i)), (byte[]) reply.get(i + 1),
            expiration(now, (Long) reply.get(i + 2))));
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
        number(request.limit()),
        RedisKeys.bytes(values ? "V" : "K"),
        request.slide() == null ? new byte[0] : number(request.slide().toMillis()),
        number(request.limit() + (long) LIST_PRUNE_BUDGET));
    LuaScript.Invocation<List<Object>> script = LIST.invoke(
        List.of(RedisKeys.indexKey(ns.name(), partition)), args,
        () -> new NestedMultiOutput<>(RedisBackend.CODEC));
    return LuaScript.run(transport, call, List.of(script)).thenApply(done -> script.result.join());
  }

  /** The key a page resumes after, from the backend token; {@code null} to start. */
  private static String resumeAfter(BackendCall call, String prefix, String token) {
    if (token == null) {
      return null;
    }
    // Core checked the cursor belongs to this namespace and prefix; this catches a SCAN cursor
    // issued before the namespace was indexed, and a forged one that would leave the prefix.
    if (!token.startsWith(TOKEN_MARK) || !token.startsWith(prefix, TOKEN_MARK.length())) {
      throw new KvValidationException("cursor", call.describe()
          + ": cursor is not a position of this indexed listing (was it issued while the"
          + " namespace listed by SCAN?); start again without a cursor");
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
    String partition = RedisKeys.partition(ns, prefix);
    for (String probe : PROBES) {
      if (!partition.equals(RedisKeys.partition(ns, prefix + probe))) {
        throw new KvValidationException("prefix", call.describe() + ": the prefix does not name"
            + " one partition of this namespace's indexed listing; every key that starts with the"
            + " prefix must map to the partition of the prefix itself (with"
            + " Listing.firstSegment(separator), the prefix must contain the separator, as in"
            + " \"user-42:\")");
      }
    }
    return partition;
  }

  // ---------------------------------------------------------------- reindex

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
        .thenCompose(moved -> walk(call, RedisKeys.literalPattern("{" + ns.name()),
            keys -> indexExisting(call, ns, keys)));
  }

  /** Marks (again) the partitions of a batch of SCAN-layout keys migrating. */
  private List<Routed<?>> marks(BackendNamespace ns, List<String> oldKeys) {
    List<Routed<?>> marks = new ArrayList<>();
    for (String partition : byPartition(ns, oldKeys.stream()
        .map(old -> RedisKeys.strip(ns.name(), old)).toList()).keySet()) {
      marks.add(mark(ns.name(), partition));
    }
    return marks;
  }

  private static Routed<String> mark(String namespace, String partition) {
    String mark = RedisKeys.migratingKey(namespace, partition);
    return new Routed<>(mark, () -> new Command<>(CommandType.SET,
        new StatusOutput<>(RedisBackend.CODEC), new CommandArgs<>(RedisBackend.CODEC)
        .addKey(mark).addValue(RedisKeys.bytes("1")).add("PX").add(MIGRATION_FENCE_MILLIS)));
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
      Routed<byte[]> get = new Routed<>(old, () -> new Command<>(CommandType.GET,
          new ValueOutput<>(RedisBackend.CODEC), new CommandArgs<>(RedisBackend.CODEC)
          .addKey(old)));
      Routed<Long> pttl = new Routed<>(old, () -> new Command<>(CommandType.PTTL,
          new IntegerOutput<>(RedisBackend.CODEC), new CommandArgs<>(RedisBackend.CODEC)
          .addKey(old)));
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
        if (gets.get(i).result.join() != null && (ttl > 0 || ttl == -1)) {
          keys.add(RedisKeys.strip(ns.name(), oldKeys.get(i)));
          live.add(i);
        }
      }
      if (keys.isEmpty()) {
        return CompletableFuture.completedFuture(0L);
      }
      List<LuaScript.Invocation<List<Object>>> moves = new ArrayList<>();
      for (Map.Entry<String, List<Integer>> part : byPartition(ns, keys).entrySet()) {
        String prefix = RedisKeys.valuePrefix(ns.name(), part.getKey());
        for (List<Integer> chunk : chunks(part.getValue())) {
          List<String> scriptKeys = new ArrayList<>(chunk.size() + 1);
          List<byte[]> args = new ArrayList<>(chunk.size() * 2 + 1);
          scriptKeys.add(RedisKeys.indexKey(ns.name(), part.getKey()));
          args.add(RedisKeys.bytes(prefix));
          for (int j : chunk) {
            int i = live.get(j);
            scriptKeys.add(prefix + keys.get(j));
            args.add(gets.get(i).result.join());
            args.add(number(ttls.get(i).result.join()));
          }
          moves.add(MOVE_IN.invoke(scriptKeys, args,
              () -> new NestedMultiOutput<>(RedisBackend.CODEC)));
        }
      }
      List<LuaScript.Invocation<Long>> deletes = new ArrayList<>(live.size());
      for (int i : live) {
        deletes.add(DELETE_IF_SAME.invoke(List.of(oldKeys.get(i)),
            List.of(RedisKeys.bytes(LuaScript.sha1(gets.get(i).result.join()))),
            () -> new IntegerOutput<>(RedisBackend.CODEC)));
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
    String open = "{" + ns.name();
    Map<String, List<String>> byTag = new LinkedHashMap<>();
    for (String key : found) {
      int close = key.indexOf('}');
      boolean ours = key.length() > open.length()
          && (key.charAt(open.length()) == '}' || key.charAt(open.length()) == ':');
      // Value keys have ':' right after the tag; the index and sweep keys have '/'.
      if (ours && key.startsWith("}:", close) && close + 2 < key.length()) {
        byTag.computeIfAbsent(key.substring(0, close + 1), t -> new ArrayList<>()).add(key);
      }
    }
    List<LuaScript.Invocation<Long>> scripts = new ArrayList<>();
    for (Map.Entry<String, List<String>> tag : byTag.entrySet()) {
      List<String> valueKeys = tag.getValue();
      int max = options.maxKeysPerCommand();
      for (int from = 0; from < valueKeys.size(); from += max) {
        List<String> scriptKeys = new ArrayList<>();
        scriptKeys.add(tag.getKey() + "/index");
        scriptKeys.addAll(valueKeys.subList(from, Math.min(valueKeys.size(), from + max)));
        scripts.add(INDEX_EXISTING.invoke(scriptKeys, List.of(RedisKeys.bytes(tag.getKey() + ":")),
            () -> new IntegerOutput<>(RedisBackend.CODEC)));
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

  // ---------------------------------------------------------------- helpers

  /** Indices of keys grouped by partition, in first-seen order. */
  private static Map<String, List<Integer>> byPartition(BackendNamespace ns, List<String> keys) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      groups.computeIfAbsent(RedisKeys.partition(ns, keys.get(i)), p -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  private List<List<Integer>> chunks(List<Integer> indices) {
    int max = options.maxKeysPerCommand();
    List<List<Integer>> chunks = new ArrayList<>();
    for (int i = 0; i < indices.size(); i += max) {
      chunks.add(indices.subList(i, Math.min(indices.size(), i + max)));
    }
    return chunks;
  }

  /** PTTL is -1 for a key without expiry. */
  private static Instant expiration(Instant now, long pttl) {
    return pttl >= 0 ? now.plusMillis(pttl) : null;
  }

  private static byte[] number(long n) {
    return RedisKeys.bytes(Long.toString(n));
  }

  private static String text(Object bulk) {
    return new String((byte[]) bulk, StandardCharsets.UTF_8);
  }
}

package io.kvstore.redis.internal;

import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.InvalidationBus;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Redis backend: each kvstore batch becomes a set of commands written together.
 *
 * <ul>
 *   <li><b>Reads</b>: {@code MGET} in chunks of {@code maxKeysPerCommand} (in Cluster, per slot;
 *       a slot with one key gets a plain {@code GET}); under a sliding TTL, one
 *       {@code GETEX key PX ttl} per key, so the read and the TTL extension are one command and
 *       one round trip. When expirations are wanted (near cache, {@code listValues}), one small
 *       Lua script per chunk reads each value with its {@code PTTL} in one atomic step instead.
 *   <li><b>Writes</b>: one {@code SET key value [PX|PXAT|KEEPTTL] [NX]} per key, pipelined.
 *       {@code MSET} cannot carry a TTL; a Lua script could, but would block the server for the
 *       whole batch, needs its keys in one slot in Cluster and hides per-key results. Pipelined
 *       {@code SET}s cost the same single round trip, and Redis interleaves other clients between
 *       them.
 *   <li><b>Deletes</b>: {@code DEL} in chunks (per slot in Cluster).
 *   <li><b>Listing</b>: {@code SCAN} with an escaped {@code MATCH} pattern. SCAN visits the whole
 *       keyspace, so its cost grows with every key in the database, not with the page: one call
 *       examines about {@code scanCount} keys, and a page repeats calls until it is full. A reply
 *       whose surplus keys would not fit the cursor is asked again with a smaller {@code COUNT}
 *       (one more round trip; see {@code ScanToken}), which keeps cursors exact whatever the key
 *       lengths and page limits. Keys come in hash-table order, not sorted. Expirations
 *       ({@code PTTL}) or values with expirations (one script per chunk) of a page are fetched in
 *       one more round trip.
 *   <li><b>Indexed namespaces</b> ({@link io.kvstore.Listing#INDEXED}): reads are the same
 *       {@code MGET}s on another key layout ({@link RedisKeys}); writes, deletes, listing and
 *       {@code reindex} go through {@link IndexedListing}, whose scripts keep a sorted-set index
 *       per partition, still one round trip per batch or page.
 * </ul>
 */
public final class RedisBackend implements KvBackend {
  /** Keys are UTF-8 strings; values are raw bytes, stored as plain Redis strings. */
  static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final Transport transport;
  private final RedisKvOptions options;
  private final boolean cluster;
  private final RedisInvalidationBus invalidations;
  private final IndexedListing indexed;
  private final Set<InFlight<?>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Creates a backend over an open connection.
   *
   * @param transport the connection to one server or a cluster
   * @param options tuning
   * @param cluster whether keys must be grouped by slot
   */
  RedisBackend(Transport transport, RedisKvOptions options, boolean cluster) {
    this.transport = transport;
    this.options = options;
    this.cluster = cluster;
    this.indexed = new IndexedListing(transport, options, cluster);
    this.invalidations = new RedisInvalidationBus(transport::connectPubSub);
    transport.addConnectionListener(invalidations.connectionListener());
  }

  @Override
  public Optional<InvalidationBus> invalidations() {
    return Optional.of(invalidations);
  }

  /**
   * For a near-cached namespace on a single server, adds the PUBLISH that tells other instances
   * which keys this batch wrote. It rides in the batch's dispatch, so it costs no extra round
   * trip, and on the one connection Redis runs it after the writes, so no reader can be told
   * before the new value is there. If the write fails (a timeout: it may still be applied), this
   * instance will act on its own message too: the PUBLISH runs after the write whenever Redis
   * gets to it, and then drops whatever this instance cached meanwhile.
   */
  private <T> CompletableFuture<T> publishWith(BackendNamespace ns, Collection<String> keys,
      List<Routed<?>> batch, Function<List<Routed<?>>, CompletableFuture<T>> write) {
    if (!ns.invalidates() || keys.isEmpty()) {
      return write.apply(batch);
    }
    RedisInvalidationBus.Message message = invalidations.message(keys);
    batch.add(publish(ns, message, RedisInvalidationBus.CHANNEL_PREFIX + ns.name()));
    return write.apply(batch).whenComplete((result, error) -> {
      if (error != null) {
        invalidations.deliverToSelf(message);
      }
    });
  }

  private static Routed<Long> publish(BackendNamespace ns, RedisInvalidationBus.Message message,
      String routingKey) {
    String channel = RedisInvalidationBus.CHANNEL_PREFIX + ns.name();
    return new Routed<>(routingKey, () -> new Command<>(CommandType.PUBLISH,
        new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).add(channel)
        .addValue(message.payload())));
  }

  /**
   * Publishes the invalidation once the write has been applied: in Cluster the writes and the
   * PUBLISH may reach different nodes, and the scripts of indexed namespaces run on their own,
   * so only waiting keeps another instance from reloading the old value after hearing of the new
   * one. One more round trip, for near-cached namespaces only.
   *
   * <p>If the write fails, it may still be applied later (a timeout), so the invalidation is
   * published anyway, without waiting, on the connection of each node the write went to (one
   * PUBLISH per node, routed by a written key): there Redis runs it after the write, whenever it
   * gets to it. This instance acts on that message too.
   */
  private <T> CompletableFuture<T> publishAfter(BackendCall call, BackendNamespace ns,
      Collection<String> keys, CompletableFuture<T> write) {
    if (!ns.invalidates() || keys.isEmpty()) {
      return write;
    }
    RedisInvalidationBus.Message message = invalidations.message(keys);
    return write.handle((result, error) -> {
      if (error == null) {
        return transport.dispatch(call, List.of(publish(ns, message,
            RedisInvalidationBus.CHANNEL_PREFIX + ns.name()))).thenApply(done -> result);
      }
      invalidations.deliverToSelf(message);
      Map<String, String> byNode = new LinkedHashMap<>();
      for (String key : keys) {
        String routing = RedisKeys.value(ns, key);
        byNode.putIfAbsent(transport.nodeOf(routing), routing);
      }
      List<Routed<?>> late = new ArrayList<>(byNode.size());
      byNode.values().forEach(routing -> late.add(publish(ns, message, routing)));
      transport.dispatch(call, late);
      return CompletableFuture.<T>failedFuture(error);
    }).thenCompose(Function.identity());
  }

  @Override
  public Clock clock() {
    return options.clock();
  }

  // ---------------------------------------------------------------- reads

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return guard(call, () -> readFull(call, fullKeys(ns, request.keys()), request.slide(),
        request.withExpiration()));
  }

  /**
   * KEYS: value keys (one slot in Cluster). ARGV: the sliding TTL in ms, or empty. Returns per
   * key its value (nil if missing or not a string) and its PTTL, read in one atomic step, so a
   * key cannot expire between the two.
   */
  private static final LuaScript READ_WITH_TTL = new LuaScript("""
      local out, slide = {}, ARGV[1]
      for i = 1, #KEYS do
        local value
        if slide ~= '' then value = redis.pcall('GETEX', KEYS[i], 'PX', slide)
        else value = redis.pcall('GET', KEYS[i]) end
        if type(value) ~= 'string' then value = false end
        out[#out + 1] = value
        out[#out + 1] = value and redis.call('PTTL', KEYS[i]) or -2
      end
      return out
      """);

  /** Reads full keys in one round trip; a missing key reads as {@code null}. */
  private CompletableFuture<List<RawValue>> readFull(BackendCall call, List<String> keys,
      Duration slide, boolean withExpiration) {
    if (withExpiration) {
      return readWithExpiration(call, keys, slide);
    }
    byte[][] values = new byte[keys.size()][];
    List<Routed<?>> commands = new ArrayList<>();
    List<Runnable> collect = new ArrayList<>();
    if (slide != null) {
      long millis = slide.toMillis();
      for (int i = 0; i < keys.size(); i++) {
        int index = i;
        String key = keys.get(i);
        Routed<byte[]> getex = new Routed<>(key, () -> new Command<>(CommandType.GETEX,
            new ValueOutput<>(CODEC), args(key, GetExArgs.Builder.px(millis))));
        commands.add(getex);
        collect.add(() -> values[index] = getex.result.join());
      }
    } else {
      for (List<Integer> group : groups(keys)) {
        if (group.size() == 1) {
          int index = group.get(0);
          String key = keys.get(index);
          Routed<byte[]> get = new Routed<>(key, () -> new Command<>(CommandType.GET,
              new ValueOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key)));
          commands.add(get);
          collect.add(() -> values[index] = get.result.join());
        } else {
          List<String> chunk = group.stream().map(keys::get).toList();
          Routed<List<byte[]>> mget = new Routed<>(chunk.get(0), () -> new Command<>(
              CommandType.MGET, new ValueListOutput<>(CODEC),
              new CommandArgs<>(CODEC).addKeys(chunk)));
          commands.add(mget);
          collect.add(() -> {
            List<byte[]> reply = mget.result.join();
            for (int j = 0; j < group.size(); j++) {
              values[group.get(j)] = reply.get(j);
            }
          });
        }
      }
    }
    return transport.dispatch(call, commands).thenApply(done -> {
      collect.forEach(Runnable::run);
      List<RawValue> result = new ArrayList<>(keys.size());
      for (byte[] value : values) {
        result.add(value == null ? null : new RawValue(value, null));
      }
      return result;
    });
  }

  /**
   * Reads values with their expirations: one script per chunk ({@link #READ_WITH_TTL}), so each
   * value and its PTTL come from the same instant, and a batch costs one command per chunk, not
   * one per key. A value without a live TTL reading (the key vanished) reads as missing: a
   * near cache must never keep it longer than the key lived.
   */
  private CompletableFuture<List<RawValue>> readWithExpiration(BackendCall call,
      List<String> keys, Duration slide) {
    byte[] slideArg = slide == null ? new byte[0] : RedisKeys.bytes(Long.toString(
        slide.toMillis()));
    List<List<Integer>> groups = groups(keys);
    List<LuaScript.Invocation<List<Object>>> scripts = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      scripts.add(READ_WITH_TTL.invoke(group.stream().map(keys::get).toList(),
          List.of(slideArg), () -> new NestedMultiOutput<>(CODEC)));
    }
    return LuaScript.run(transport, call, scripts).thenApply(done -> {
      Instant now = options.clock().instant();
      RawValue[] values = new RawValue[keys.size()];
      for (int s = 0; s < scripts.size(); s++) {
        List<Object> reply = scripts.get(s).result.join();
        List<Integer> group = groups.get(s);
        for (int j = 0; j < group.size(); j++) {
          values[group.get(j)] = liveValue(now, reply.get(2 * j), (Long) reply.get(2 * j + 1));
        }
      }
      return Arrays.asList(values);
    });
  }

  /**
   * A value and its PTTL as one reading: -1 means no expiry; -2 (or any other negative) means
   * the key is gone, so there is no value, whatever was read with it.
   */
  private static RawValue liveValue(Instant now, Object value, long pttl) {
    if (value == null || (pttl < 0 && pttl != -1)) {
      return null;
    }
    return new RawValue((byte[]) value, pttl == -1 ? null : now.plusMillis(pttl));
  }

  private static void addPttls(List<String> keys, long[] ttls, List<Routed<?>> commands,
      List<Runnable> collect) {
    for (int i = 0; i < keys.size(); i++) {
      int index = i;
      String key = keys.get(i);
      Routed<Long> pttl = new Routed<>(key, () -> new Command<>(CommandType.PTTL,
          new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key)));
      commands.add(pttl);
      collect.add(() -> ttls[index] = pttl.result.join());
    }
  }

  /** PTTL is -1 for a key without expiry and -2 for a missing key. */
  private static Instant expiration(Instant now, long pttl) {
    return pttl >= 0 ? now.plusMillis(pttl) : null;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    if (ns.listing().indexed()) {
      return guard(call, () -> publishAfter(call, ns, writes.stream().map(RawWrite::key).toList(),
          indexed.write(call, ns, writes)));
    }
    return guard(call, () -> {
      List<Routed<String>> commands = new ArrayList<>(writes.size());
      for (RawWrite write : writes) {
        String key = RedisKeys.full(ns.name(), write.key());
        SetArgs setArgs = setArgs(write);
        commands.add(new Routed<>(key, () -> {
          CommandArgs<String, byte[]> args = new CommandArgs<>(CODEC).addKey(key)
              .addValue(write.value());
          setArgs.build(args);
          return new Command<>(CommandType.SET, new StatusOutput<>(CODEC), args);
        }));
      }
      List<String> written = writes.stream().map(RawWrite::key).toList();
      List<Routed<?>> batch = new ArrayList<>(commands);
      if (cluster) {
        return publishAfter(call, ns, written, transport.dispatch(call, batch)
            .thenApply(done -> commands.stream().map(c -> c.result.join() != null).toList()));
      }
      return publishWith(ns, written, batch, all -> transport.dispatch(call, all)
          .thenApply(done -> commands.stream().map(c -> c.result.join() != null).toList()));
    });
  }

  private static SetArgs setArgs(RawWrite write) {
    SetArgs args = new SetArgs();
    Expiry expiry = write.expiry();
    if (expiry instanceof Expiry.After after) {
      args.px(after.ttl().toMillis());
    } else if (expiry instanceof Expiry.At at) {
      args.pxAt(at.instant().toEpochMilli());
    } else if (expiry instanceof Expiry.Keep) {
      args.keepttl();
    }
    if (write.ifAbsent()) {
      args.nx();
    }
    return args;
  }

  /** A Lua compare-and-set per key, all in one round trip: see {@link CompareAndSet}. */
  @Override
  public CompletableFuture<List<Boolean>> compareAndSet(BackendCall call, BackendNamespace ns,
      List<RawSwap> swaps) {
    return guard(call, () -> CompareAndSet.run(transport, call, ns, swaps));
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    if (ns.listing().indexed()) {
      return guard(call, () -> publishAfter(call, ns, keys, indexed.delete(call, ns, keys)));
    }
    return guard(call, () -> {
      List<Routed<Long>> commands = deletes(fullKeys(ns, keys), options.maxKeysPerCommand(),
          cluster);
      List<Routed<?>> batch = new ArrayList<>(commands);
      if (cluster) {
        return publishAfter(call, ns, keys, transport.dispatch(call, batch)
            .thenApply(done -> commands.stream().mapToLong(c -> c.result.join()).sum()));
      }
      return publishWith(ns, keys, batch, all -> transport.dispatch(call, all)
          .thenApply(done -> commands.stream().mapToLong(c -> c.result.join()).sum()));
    });
  }

  // ---------------------------------------------------------------- listing

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    if (ns.listing().indexed()) {
      return guard(call, () -> indexed.list(call, ns, request));
    }
    return guard(call, () -> scanPage(call, ns, request).thenCompose(page -> {
      if (page.keys.isEmpty()) {
        return CompletableFuture.completedFuture(new RawPage<>(List.of(), page.next));
      }
      long[] ttls = new long[page.keys.size()];
      List<Routed<?>> commands = new ArrayList<>();
      List<Runnable> collect = new ArrayList<>();
      addPttls(page.keys, ttls, commands, collect);
      return transport.dispatch(call, commands).thenApply(done -> {
        collect.forEach(Runnable::run);
        Instant now = options.clock().instant();
        List<RawKey> keys = new ArrayList<>(page.keys.size());
        for (int i = 0; i < ttls.length; i++) {
          if (ttls[i] != -2) {
            keys.add(new RawKey(RedisKeys.strip(ns.name(), page.keys.get(i)),
                expiration(now, ttls[i])));
          }
        }
        return new RawPage<>(keys, page.next);
      });
    }));
  }

  /**
   * A SCAN page and its values in one more round trip (two in all when one SCAN call fills it);
   * an indexed page with its values in one.
   */
  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    if (ns.listing().indexed()) {
      return guard(call, () -> indexed.listValues(call, ns, request));
    }
    return guard(call, () -> scanPage(call, ns, request).thenCompose(page -> {
      if (page.keys.isEmpty()) {
        return CompletableFuture.completedFuture(new RawPage<>(List.of(), page.next));
      }
      return readFull(call, page.keys, request.slide(), true).thenApply(values -> {
        List<RawEntry> entries = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
          RawValue value = values.get(i);
          if (value != null) {
            entries.add(new RawEntry(RedisKeys.strip(ns.name(), page.keys.get(i)),
                value.bytes(), value.expiration()));
          }
        }
        return new RawPage<>(entries, page.next);
      });
    }));
  }

  private record ScanPage(List<String> keys, String next) {}

  private CompletableFuture<ScanPage> scanPage(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    ScanToken start;
    try {
      start = ScanToken.parse(request.token(), transport.scanNodes());
    } catch (IllegalArgumentException e) {
      throw new KvValidationException("cursor", call.describe()
          + ": cursor does not hold a SCAN position of this store (did the topology change?)");
    }
    String literal = RedisKeys.full(ns.name(), request.prefix());
    String match = RedisKeys.matchPattern(ns.name(), request.prefix());
    int limit = request.limit();
    List<String> keys = new ArrayList<>(Math.min(limit, 256));
    List<String> leftovers = start.leftovers();
    int taken = Math.min(limit, leftovers.size());
    keys.addAll(leftovers.subList(0, taken));
    ScanToken rest = new ScanToken(start.positions(), leftovers.subList(taken, leftovers.size()));
    CompletableFuture<ScanPage> page = new CompletableFuture<>();
    if (keys.size() == limit || !rest.leftovers().isEmpty()) {
      page.complete(new ScanPage(keys, rest.finished() ? null : rest.format()));
    } else {
      scanStep(call, rest, literal, match, limit, 0, 0, keys, page);
    }
    return page;
  }

  /**
   * Leftover keys beyond this many UTF-8 bytes are not carried in the cursor: the reply is asked
   * again with a smaller COUNT (see {@link ScanToken}). With the node positions, the token stays
   * well within the cursor size core accepts.
   */
  private static final int MAX_LEFTOVER_BYTES = 4096;

  /**
   * The COUNT hint of the next SCAN calls: about as many entries as the page still needs, scaled
   * by the share of entries that matched so far (assumed one half at first), within
   * {@code [10, scanCount]}. Asking for little keeps overflowing replies, and so leftovers, small;
   * scaling by the match rate keeps a sparse prefix from costing many tiny calls.
   */
  private int countHint(int remaining, long seen, long matched) {
    double density = seen == 0 ? 0.5 : Math.max((double) matched / seen, 0.01);
    long hint = (long) Math.ceil(remaining / density);
    return (int) Math.max(10, Math.min(options.scanCount(), hint));
  }

  /**
   * One round of SCAN calls, on every node not yet walked at once (one round trip), repeated until
   * the page is full or every node is walked. Replies are consumed in node order, each sorted; a
   * reply that overflows the page leaves its remaining keys in the token, or, if they would not
   * fit, is asked again with a smaller COUNT (one more round trip) before any of its keys is
   * taken. A node whose position holds a COUNT (a retry, or the repeat-and-resume fallback) is
   * asked with exactly that COUNT.
   */
  private void scanStep(BackendCall call, ScanToken at, String literal, String match, int limit,
      long seen, long matched, List<String> keys, CompletableFuture<ScanPage> page) {
    if (at.finished()) {
      page.complete(new ScanPage(keys, null));
      return;
    }
    int hint = countHint(limit - keys.size(), seen, matched);
    List<ScanToken.Position> positions = at.positions();
    List<CompletableFuture<KeyScanCursor<String>>> replies = new ArrayList<>(positions.size());
    int[] counts = new int[positions.size()];
    int nodes = 0;
    for (int node = 0; node < positions.size(); node++) {
      ScanToken.Position position = positions.get(node);
      if (position.done()) {
        replies.add(null);
      } else {
        nodes++;
        counts[node] = position.count() > 0 ? position.count() : hint;
        replies.add(transport.scan(node, position.cursor(), match, counts[node]));
      }
    }
    call.recordRoundTrip(nodes);
    CompletableFuture.allOf(replies.stream().filter(r -> r != null)
        .toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
          if (error != null) {
            page.completeExceptionally(error);
            return;
          }
          try {
            List<ScanToken.Position> next = new ArrayList<>(positions);
            List<String> leftovers = List.of();
            long seenNow = seen;
            long matchedNow = matched;
            for (int node = 0; node < positions.size() && keys.size() < limit; node++) {
              ScanToken.Position position = positions.get(node);
              if (position.done()) {
                continue;
              }
              KeyScanCursor<String> reply = replies.get(node).join();
              List<String> fresh = matchingAfter(reply, literal, position.after());
              seenNow += Math.max(counts[node], reply.getKeys().size());
              matchedNow += fresh.size();
              int remaining = limit - keys.size();
              int take = Math.min(fresh.size(), remaining);
              List<String> rest = fresh.subList(take, fresh.size());
              boolean fits = rest.stream().mapToInt(k -> RedisKeys.bytes(k).length + 1).sum()
                  <= MAX_LEFTOVER_BYTES;
              if (!fits && position.after() == null && counts[node] > 1) {
                // Take nothing from this reply: ask the same position again for fewer keys.
                int smaller = counts[node] > remaining ? remaining : 1;
                next.set(node, new ScanToken.Position(position.cursor(), null, smaller));
                break;
              }
              keys.addAll(fresh.subList(0, take));
              if (fits) {
                next.set(node, reply.isFinished() ? ScanToken.Position.DONE
                    : new ScanToken.Position(reply.getCursor(), null, 0));
                leftovers = rest;
              } else {
                next.set(node, new ScanToken.Position(position.cursor(), fresh.get(take - 1),
                    counts[node]));
              }
            }
            ScanToken resume = new ScanToken(next, leftovers);
            if (keys.size() == limit || resume.finished()) {
              page.complete(new ScanPage(keys, resume.finished() ? null : resume.format()));
            } else {
              scanStep(call, resume, literal, match, limit, seenNow, matchedNow, keys, page);
            }
          } catch (RuntimeException failure) {
            page.completeExceptionally(failure);
          }
        });
  }

  /**
   * The reply's keys that really start with the literal prefix (MATCH already filtered; this is
   * defence in depth), sorted, and after the resume key if there is one.
   */
  private static List<String> matchingAfter(KeyScanCursor<String> reply, String literal,
      String after) {
    List<String> keys = new ArrayList<>(reply.getKeys().size());
    for (String key : reply.getKeys()) {
      if (key.startsWith(literal) && (after == null || key.compareTo(after) > 0)) {
        keys.add(key);
      }
    }
    keys.sort(null);
    return keys;
  }

  /**
   * Moves a namespace written under SCAN into the indexed layout and indexes every key it holds;
   * see {@link IndexedListing}.
   *
   * @throws KvValidationException if the namespace does not list by index
   */
  @Override
  public CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    if (!ns.listing().indexed()) {
      throw new KvValidationException("listing", call.describe() + ": the namespace lists by"
          + " SCAN and has no index to build; open it with Listing.INDEXED to migrate it");
    }
    return guard(call, () -> indexed.reindex(call, ns));
  }

  // ---------------------------------------------------------------- misc

  @Override
  public CompletableFuture<Void> ping(BackendCall call) {
    return guard(call, () -> {
      call.recordRoundTrip(1);
      return transport.ping().thenApply(pong -> null);
    });
  }

  /** OpenTelemetry's well-known name for Redis, single node and Cluster alike. */
  @Override
  public String systemName() {
    return "redis";
  }

  /**
   * Fails every call still in flight before closing the connections. A command written just
   * before the connection closes may never be answered, and one issued just after fails inside
   * Lettuce with whatever its closed parts throw; either way its caller would wait forever or get
   * a failure that does not say "unavailable". Failing them here first gives every caller the
   * documented {@code KvUnavailableException}, with the write's outcome stated as unknown.
   */
  @Override
  public void close() {
    closed = true;
    for (InFlight<?> call : inFlight) {
      call.failClosed();
    }
    invalidations.close();
    transport.close();
  }

  @Override
  public String toString() {
    return transport.toString();
  }

  private static List<String> fullKeys(BackendNamespace ns, List<String> keys) {
    List<String> full = new ArrayList<>(keys.size());
    for (String key : keys) {
      full.add(RedisKeys.value(ns, key));
    }
    return full;
  }

  private List<List<Integer>> groups(List<String> keys) {
    return RedisKeys.groups(keys, options.maxKeysPerCommand(), cluster);
  }

  /** {@code DEL} commands for full keys, chunked (and grouped by slot in Cluster). */
  static List<Routed<Long>> deletes(List<String> full, int maxKeysPerCommand, boolean cluster) {
    List<Routed<Long>> commands = new ArrayList<>();
    for (List<Integer> group : RedisKeys.groups(full, maxKeysPerCommand, cluster)) {
      List<String> chunk = group.stream().map(full::get).toList();
      commands.add(new Routed<>(chunk.get(0), () -> new Command<>(CommandType.DEL,
          new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).addKeys(chunk))));
    }
    return commands;
  }

  private static CommandArgs<String, byte[]> args(String key, GetExArgs getExArgs) {
    CommandArgs<String, byte[]> args = new CommandArgs<>(CODEC).addKey(key);
    getExArgs.build(args);
    return args;
  }

  /**
   * Runs a backend step and translates every failure, thrown or completed, exactly once. The call
   * is tracked until it completes, so {@link #close()} can fail it rather than leave it waiting.
   */
  private <T> CompletableFuture<T> guard(BackendCall call, Supplier<CompletableFuture<T>> work) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError(call));
    }
    InFlight<T> result = new InFlight<>(call);
    inFlight.add(result);
    result.whenComplete((value, error) -> inFlight.remove(result));
    if (closed) {
      // close() ran between the check and the add, and may have missed this call.
      result.failClosed();
      return result;
    }
    CompletableFuture<T> started;
    try {
      started = work.get();
    } catch (KvValidationException e) {
      inFlight.remove(result);
      throw e;
    } catch (RuntimeException e) {
      result.completeExceptionally(closed ? closedError(call)
          : Errors.translate(e, call, options.timeout()));
      return result;
    }
    started.whenComplete((value, error) -> {
      if (error != null) {
        // A failure that comes from the store being closed under the call (Lettuce's closed
        // provider or timer) says so, whatever Lettuce threw.
        result.completeExceptionally(closed ? closedError(call)
            : Errors.translate(error, call, options.timeout()));
      } else {
        result.complete(value);
      }
    });
    return result;
  }

  private static KvUnavailableException closedError(BackendCall call) {
    return new KvUnavailableException(call.describe() + ": the store was closed"
        + (Errors.isWrite(call.operation()) ? "; a write in flight may or may not have been applied"
            : ""), null);
  }

  /** A call's result, which {@link #close()} can fail while the call is still in flight. */
  private static final class InFlight<T> extends CompletableFuture<T> {
    private final BackendCall call;

    InFlight(BackendCall call) {
      this.call = call;
    }

    void failClosed() {
      completeExceptionally(closedError(call));
    }
  }

}

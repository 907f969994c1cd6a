package io.kvstore.redis.internal;

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
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Redis backend: each kvstore batch becomes a set of commands written together.
 *
 * <ul>
 *   <li><b>Reads</b>: {@code MGET} in chunks of {@code maxKeysPerCommand} (in Cluster, per slot;
 *       a slot with one key gets a plain {@code GET}); under a sliding TTL, one
 *       {@code GETEX key PX ttl} per key, so the read and the TTL extension are one command and
 *       one round trip. {@code PTTL} rides along when expirations are wanted.
 *   <li><b>Writes</b>: one {@code SET key value [PX|PXAT|KEEPTTL] [NX]} per key, pipelined.
 *       {@code MSET} cannot carry a TTL; a Lua script could, but would block the server for the
 *       whole batch, needs its keys in one slot in Cluster and hides per-key results. Pipelined
 *       {@code SET}s cost the same single round trip, and Redis interleaves other clients between
 *       them.
 *   <li><b>Deletes</b>: {@code DEL} in chunks (per slot in Cluster).
 *   <li><b>Listing</b>: {@code SCAN} with an escaped {@code MATCH} pattern. SCAN visits the whole
 *       keyspace, so its cost grows with every key in the database, not with the page: one call
 *       examines about {@code scanCount} keys, and a page repeats calls until it is full. Keys come
 *       in hash-table order, not sorted. Expirations ({@code PTTL}) or values ({@code MGET}) of a
 *       page are fetched in one more round trip.
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
    this.indexed = new IndexedListing(transport, options);
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
   * before the new value is there.
   */
  private void publishInvalidation(BackendNamespace ns, Collection<String> keys,
      List<Routed<?>> commands) {
    if (!ns.invalidates() || keys.isEmpty()) {
      return;
    }
    String channel = RedisInvalidationBus.CHANNEL_PREFIX + ns.name();
    byte[] message = invalidations.message(keys);
    commands.add(new Routed<Long>(channel, () -> new Command<>(CommandType.PUBLISH,
        new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).add(channel).addValue(message))));
  }

  /**
   * Publishes the invalidation once the write has been applied: in Cluster the writes and the
   * PUBLISH may reach different nodes, and the scripts of indexed namespaces run on their own,
   * so only waiting keeps another instance from reloading the old value after hearing of the new
   * one. One more round trip, for near-cached namespaces only.
   */
  private <T> CompletableFuture<T> publishAfter(BackendCall call, BackendNamespace ns,
      Collection<String> keys, CompletableFuture<T> write) {
    if (!ns.invalidates() || keys.isEmpty()) {
      return write;
    }
    return write.thenCompose(result -> {
      List<Routed<?>> publish = new ArrayList<>(1);
      publishInvalidation(ns, keys, publish);
      return transport.dispatch(call, publish).thenApply(done -> result);
    });
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

  /** Reads full keys in one round trip; a missing key reads as {@code null}. */
  private CompletableFuture<List<RawValue>> readFull(BackendCall call, List<String> keys,
      Duration slide, boolean withExpiration) {
    byte[][] values = new byte[keys.size()][];
    long[] ttls = new long[keys.size()];
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
    if (withExpiration) {
      addPttls(keys, ttls, commands, collect);
    }
    return transport.dispatch(call, commands).thenApply(done -> {
      collect.forEach(Runnable::run);
      Instant now = options.clock().instant();
      List<RawValue> result = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        result.add(values[i] == null ? null
            : new RawValue(values[i], withExpiration ? expiration(now, ttls[i]) : null));
      }
      return result;
    });
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
      publishInvalidation(ns, written, batch);
      return transport.dispatch(call, batch).thenApply(done -> commands.stream()
          .map(c -> c.result.join() != null)
          .toList());
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

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    if (ns.listing().indexed()) {
      return guard(call, () -> publishAfter(call, ns, keys, indexed.delete(call, ns, keys)));
    }
    return guard(call, () -> {
      List<String> full = fullKeys(ns, keys);
      List<Routed<Long>> commands = new ArrayList<>();
      for (List<Integer> group : groups(full)) {
        List<String> chunk = group.stream().map(full::get).toList();
        commands.add(new Routed<>(chunk.get(0), () -> new Command<>(CommandType.DEL,
            new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).addKeys(chunk))));
      }
      List<Routed<?>> batch = new ArrayList<>(commands);
      if (cluster) {
        return publishAfter(call, ns, keys, transport.dispatch(call, batch)
            .thenApply(done -> commands.stream().mapToLong(c -> c.result.join()).sum()));
      }
      publishInvalidation(ns, keys, batch);
      return transport.dispatch(call, batch).thenApply(done -> commands.stream()
          .mapToLong(c -> c.result.join())
          .sum());
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

  /** Leftover keys beyond this many characters fall back to a repeat-and-resume position. */
  private static final int MAX_LEFTOVER_CHARS = 4096;

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
   * reply that overflows the page leaves its remaining keys in the token.
   */
  private void scanStep(BackendCall call, ScanToken at, String literal, String match, int limit,
      long seen, long matched, List<String> keys, CompletableFuture<ScanPage> page) {
    if (at.finished()) {
      page.complete(new ScanPage(keys, null));
      return;
    }
    int count = countHint(limit - keys.size(), seen, matched);
    List<ScanToken.Position> positions = at.positions();
    List<CompletableFuture<KeyScanCursor<String>>> replies = new ArrayList<>(positions.size());
    int nodes = 0;
    for (int node = 0; node < positions.size(); node++) {
      ScanToken.Position position = positions.get(node);
      if (position.done()) {
        replies.add(null);
      } else {
        nodes++;
        replies.add(transport.scan(node, position.cursor(), match, count));
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
              seenNow += Math.max(count, reply.getKeys().size());
              matchedNow += fresh.size();
              int take = Math.min(fresh.size(), limit - keys.size());
              keys.addAll(fresh.subList(0, take));
              ScanToken.Position advanced = reply.isFinished() ? ScanToken.Position.DONE
                  : new ScanToken.Position(reply.getCursor(), null);
              List<String> rest = fresh.subList(take, fresh.size());
              if (rest.isEmpty()) {
                next.set(node, advanced);
              } else if (rest.stream().mapToInt(k -> k.length() + 1).sum() <= MAX_LEFTOVER_CHARS) {
                next.set(node, advanced);
                leftovers = rest;
              } else {
                next.set(node, new ScanToken.Position(position.cursor(), fresh.get(take - 1)));
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

  @Override
  public void close() {
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

  /**
   * Splits keys into command-sized groups of indices: chunks of {@code maxKeysPerCommand}, and in
   * Cluster, one slot per group because a multi-key command must stay within a slot.
   */
  private List<List<Integer>> groups(List<String> keys) {
    int max = options.maxKeysPerCommand();
    List<List<Integer>> groups = new ArrayList<>();
    if (!cluster) {
      for (int i = 0; i < keys.size(); i += max) {
        List<Integer> chunk = new ArrayList<>();
        for (int j = i; j < Math.min(keys.size(), i + max); j++) {
          chunk.add(j);
        }
        groups.add(chunk);
      }
      return groups;
    }
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      bySlot.computeIfAbsent(SlotHash.getSlot(keys.get(i)), s -> new ArrayList<>()).add(i);
    }
    for (List<Integer> slot : bySlot.values()) {
      for (int i = 0; i < slot.size(); i += max) {
        groups.add(slot.subList(i, Math.min(slot.size(), i + max)));
      }
    }
    return groups;
  }

  private static CommandArgs<String, byte[]> args(String key, GetExArgs getExArgs) {
    CommandArgs<String, byte[]> args = new CommandArgs<>(CODEC).addKey(key);
    getExArgs.build(args);
    return args;
  }

  /** Runs a backend step and translates every failure, thrown or completed, exactly once. */
  private <T> CompletableFuture<T> guard(BackendCall call, Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> started;
    try {
      started = work.get();
    } catch (KvValidationException e) {
      throw e;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.translate(e, call, options.timeout()));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    started.whenComplete((value, error) -> {
      if (error != null) {
        result.completeExceptionally(Errors.translate(error, call, options.timeout()));
      } else {
        result.complete(value);
      }
    });
    return result;
  }
}

package io.kvstore.redis.internal.listing;

import io.kvstore.KvValidationException;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.invalidation.InvalidationPublisher;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Pttl;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.redis.internal.read.Reads;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.Expiry;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.lettuce.core.SetArgs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link io.kvstore.Listing#UNINDEXED} namespaces: values at {@code namespace:key}, nothing else.
 *
 * <ul>
 *   <li><b>Writes</b>: one {@code SET key value [PX|PXAT|KEEPTTL] [NX]} per key, pipelined.
 *       {@code MSET} cannot carry a TTL; a Lua script could, but would block the server for the
 *       whole batch, needs its keys in one slot in Cluster and hides per-key results. Pipelined
 *       {@code SET}s cost the same single round trip, and Redis interleaves other clients between
 *       them.
 *   <li><b>Deletes</b>: {@code DEL} in chunks (per slot in Cluster).
 *   <li><b>Listing</b>: pages from {@link ScanPager}; the expirations ({@code PTTL}) or the values
 *       with their expirations ({@link Reads}) of a page are fetched in one more round trip.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ScanListing implements ListingStrategy {
  private final Transport transport;
  private final RedisKvOptions options;
  private final InvalidationPublisher invalidations;
  private final Reads reads;
  private final ScanPager pager;

  /**
   * The SCAN strategy of one store.
   *
   * @param transport the store's connection
   * @param options tuning
   * @param invalidations publishes the keys written, for near-cached namespaces
   * @param reads reads the values of a page
   */
  public ScanListing(Transport transport, RedisKvOptions options,
      InvalidationPublisher invalidations, Reads reads) {
    this.transport = transport;
    this.options = options;
    this.invalidations = invalidations;
    this.reads = reads;
    this.pager = new ScanPager(transport, options.scanCount());
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    List<Routed<String>> commands = new ArrayList<>(writes.size());
    for (RawWrite write : writes) {
      String key = RedisKeys.full(ns.name(), write.key());
      commands.add(Commands.set(key, write.value(), setArgs(write)));
    }
    List<String> written = writes.stream().map(RawWrite::key).toList();
    return invalidations.publish(call, ns, written, new ArrayList<>(commands),
        batch -> transport.dispatch(call, batch)
            .thenApply(done -> commands.stream().map(c -> c.result.join() != null).toList()));
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
    List<String> full = keys.stream().map(key -> RedisKeys.full(ns.name(), key)).toList();
    List<Routed<Long>> commands = deletes(transport, full, options.maxKeysPerCommand());
    return invalidations.publish(call, ns, keys, new ArrayList<>(commands),
        batch -> transport.dispatch(call, batch)
            .thenApply(done -> commands.stream().mapToLong(c -> c.result.join()).sum()));
  }

  /** {@code DEL} commands for full keys, chunked (and grouped by slot in Cluster). */
  static List<Routed<Long>> deletes(Transport transport, List<String> full,
      int maxKeysPerCommand) {
    List<Routed<Long>> commands = new ArrayList<>();
    for (List<Integer> group : transport.groups(full, maxKeysPerCommand)) {
      List<String> chunk = group.stream().map(full::get).toList();
      commands.add(Commands.del(chunk));
    }
    return commands;
  }

  /** A page and its keys' PTTLs in one more round trip. */
  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return page(call, ns, request, page -> {
      List<Routed<Long>> pttls = new ArrayList<>(page.keys().size());
      for (String key : page.keys()) {
        pttls.add(Commands.pttl(key));
      }
      return transport.dispatch(call, pttls).thenApply(done -> {
        Instant now = options.clock().instant();
        List<RawKey> keys = new ArrayList<>(page.keys().size());
        for (int i = 0; i < pttls.size(); i++) {
          long pttl = pttls.get(i).result.join();
          if (Pttl.exists(pttl)) {
            keys.add(new RawKey(RedisKeys.strip(ns.name(), page.keys().get(i)),
                Pttl.expiration(pttl, now)));
          }
        }
        return new RawPage<>(keys, page.next());
      });
    });
  }

  /** A page and its values in one more round trip (two in all when one SCAN call fills it). */
  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    return page(call, ns, request, page -> reads.read(call, page.keys(), request.slide(), true)
        .thenApply(values -> {
          List<RawEntry> entries = new ArrayList<>(values.size());
          for (int i = 0; i < values.size(); i++) {
            RawValue value = values.get(i);
            if (value != null) {
              entries.add(new RawEntry(RedisKeys.strip(ns.name(), page.keys().get(i)),
                  value.bytes(), value.expiration()));
            }
          }
          return new RawPage<>(entries, page.next());
        }));
  }

  /**
   * A page of keys, completed by {@code fetch} unless it is empty. {@code fetch} reads the keys
   * (with {@code GETEX} under a sliding TTL, which changes them), so every key is checked to be
   * of the namespace and prefix first; {@link ScanPager} already guarantees it, and this is the
   * last place a mistake there could be caught before it touched another tenant's key.
   */
  private <T> CompletableFuture<RawPage<T>> page(BackendCall call, BackendNamespace ns,
      ListRequest request, Function<ScanPager.ScanPage, CompletableFuture<RawPage<T>>> fetch) {
    String literal = RedisKeys.full(ns.name(), request.prefix());
    return pager.page(call, ns, request).thenCompose(page -> {
      if (page.keys().isEmpty()) {
        return CompletableFuture.completedFuture(new RawPage<>(List.of(), page.next()));
      }
      for (String key : page.keys()) {
        if (!key.startsWith(literal)) {
          return CompletableFuture.failedFuture(new IllegalStateException("a Redis key outside"
              + " the namespace and prefix reached " + call.describe()));
        }
      }
      return fetch.apply(page);
    });
  }

  /**
   * A SCAN namespace has no index to build.
   *
   * @throws KvValidationException always
   */
  @Override
  public CompletableFuture<Long> reindex(BackendCall call, BackendNamespace ns) {
    throw new KvValidationException("listing", call.describe() + ": the namespace lists by"
        + " SCAN and has no index to build; open it with Listing.INDEXED to migrate it");
  }
}

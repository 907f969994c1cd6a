package io.kvstore.internal;

import io.kvstore.KvOperation;
import io.kvstore.NamespaceOptions;
import io.kvstore.internal.codec.Upgrading;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ReadRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The read paths of one namespace, composed once from its options when it opens:
 *
 * <pre>
 *   get:    [near cache] -> [coalescer] -> store read [-> read repair] -> decode
 *   getAll: [near cache] ->                store read [-> read repair] -> decode
 * </pre>
 *
 * <p>A link in brackets is there only when the options ask for it; nothing on the paths asks
 * again per call. Listing reads pages through the backend's listing and the same decode link.
 *
 * @param get the single-key path
 * @param getAll the batch path
 * @param <V> the value type
 */
record ReadPaths<V>(ReadPath<V> get, ReadPath<V> getAll) {
  /**
   * Composes the paths.
   *
   * @param nearCache the namespace's near cache, when it has one
   */
  static <V> ReadPaths<V> compose(DefaultKvStore store, NamespaceOptions<V> options,
      BackendNamespace ns, Optional<NearCache<V>> nearCache, ValueDecoder<V> decoder) {
    KvBackend backend = store.backend();
    Supplier<Duration> slide = Ttls.slide(options.ttl());
    boolean withExpiration = nearCache.isPresent();
    StoreRead storeRead = (call, keys) -> backend.read(call, ns,
        new ReadRequest(keys, slide.get(), withExpiration));
    if (options.codec() instanceof Upgrading versioned && versioned.readRepair()) {
      storeRead = new ReadRepair(versioned, backend, ns, options.maxValueBytes())
          .around(storeRead);
    }
    MissRead batch = storeRead::read;
    MissRead single = batch;
    if (options.coalesceGets().orElse(store.coalesceGets())) {
      GetCoalescer coalescer = new GetCoalescer(storeRead, backend.requestSender(),
          store.logKeys());
      // A key its listing cannot partition is refused by the call, as an uncoalesced get's is:
      // the batch is built on another thread, too late to throw.
      boolean partitioned = options.listing().partition().isPresent();
      single = (op, keys) -> {
        if (partitioned) {
          ns.partitionOf(keys.get(0));
        }
        return coalescer.get(op, keys.get(0));
      };
    }
    String describeGet = Operation.describe(KvOperation.GET, ns.name());
    String describeGetAll = Operation.describe(KvOperation.GET_ALL, ns.name());
    MissRead get = single;
    return nearCache.<ReadPaths<V>>map(cache -> new ReadPaths<>(
            new NearCachedRead<>(cache, get, decoder, describeGet, store::nearCacheLoaded),
            new NearCachedRead<>(cache, batch, decoder, describeGetAll, store::nearCacheLoaded)))
        .orElseGet(() -> new ReadPaths<>(new DirectRead<>(get, decoder, describeGet),
            new DirectRead<>(batch, decoder, describeGetAll)));
  }
}

package io.kvstore.internal;

import io.kvstore.KvCodecException;
import io.kvstore.KvEntry;
import io.kvstore.KvKey;
import io.kvstore.KvOperation;
import io.kvstore.KvPage;
import io.kvstore.KvResult;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The listing link of a namespace: {@code list} and {@code listValues}. The backend's position
 * leaves wrapped in a cursor bound to the namespace and prefix ({@link Cursors}), so a cursor
 * of one namespace or prefix is refused by another; and a client-side prefix check backs up
 * the backend's own matching.
 *
 * @param <V> the value type
 */
final class NamespaceListing<V> {
  private final DefaultKvStore store;
  private final String name;
  private final BackendNamespace backendNamespace;
  private final ValueDecoder<V> decoder;
  private final Supplier<Duration> slide;

  NamespaceListing(DefaultKvStore store, String name, BackendNamespace backendNamespace,
      ValueDecoder<V> decoder, Supplier<Duration> slide) {
    this.store = store;
    this.name = name;
    this.backendNamespace = backendNamespace;
    this.decoder = decoder;
    this.slide = slide;
  }

  CompletableFuture<KvPage> list(ListOptions listOptions) {
    String describe = Operation.describe(KvOperation.LIST, name);
    ListRequest request = listRequest(listOptions, describe, null);
    String prefix = request.prefix();
    Operation op = store.begin(name, KvOperation.LIST, 0);
    return op.run(() -> store.backend().list(op, backendNamespace, request),
        page -> {
          List<KvKey> keys = new ArrayList<>(page.items().size());
          for (RawKey raw : page.items()) {
            // Defence in depth: whatever the backend matched, only the prefix's keys leave here.
            if (raw.key().startsWith(prefix)) {
              keys.add(new KvKey(raw.key(), Optional.ofNullable(raw.expiration())));
            }
          }
          Optional<String> cursor =
              Optional.ofNullable(store.cursors().encode(name, prefix, page.next()));
          return new KvPage(keys, cursor, cursor.isEmpty());
        },
        page -> page.items().size());
  }

  CompletableFuture<KvValuePage<V>> listValues(ListOptions listOptions) {
    String describe = Operation.describe(KvOperation.LIST_VALUES, name);
    ListRequest request = listRequest(listOptions, describe, slide.get());
    String prefix = request.prefix();
    Operation op = store.begin(name, KvOperation.LIST_VALUES, 0);
    return op.run(() -> store.backend().listValues(op, backendNamespace, request)
            .thenCompose(page -> toValuePage(describe, prefix, page)),
        page -> {
          op.decodeFailures(page.failures().size());
          return page;
        },
        page -> page.entries().size() + page.failures().size());
  }

  private CompletableFuture<KvValuePage<V>> toValuePage(String describe, String prefix,
      RawPage<RawEntry> page) {
    // Defence in depth: whatever the backend matched, only the prefix's keys leave here.
    List<RawEntry> items = page.items().stream().filter(e -> e.key().startsWith(prefix)).toList();
    String cursor = store.cursors().encode(name, prefix, page.next());
    List<String> keys = items.stream().map(RawEntry::key).toList();
    List<RawValue> values = items.stream()
        .map(e -> new RawValue(e.bytes(), e.expiration())).toList();
    return decoder.decodeAll(describe, keys, values).thenApply(results -> {
      List<KvEntry<V>> entries = new ArrayList<>(items.size());
      Map<String, KvCodecException> failures = new LinkedHashMap<>();
      for (int i = 0; i < items.size(); i++) {
        RawEntry raw = items.get(i);
        if (results.get(i) instanceof KvResult.Found<V> found) {
          entries.add(new KvEntry<>(raw.key(), found.value(),
              Optional.ofNullable(raw.expiration())));
        } else if (results.get(i) instanceof KvResult.Failed<V> failed) {
          failures.put(raw.key(), (KvCodecException) failed.error());
        }
      }
      return new KvValuePage<>(entries, failures, Optional.ofNullable(cursor), cursor == null);
    });
  }

  private ListRequest listRequest(ListOptions listOptions, String describe, Duration slide) {
    Validation.notNull(listOptions, "options", describe);
    String prefix = Validation.prefix(listOptions.prefix(), describe + ": prefix");
    String token = listOptions.cursor()
        .map(c -> store.cursors().decode(name, prefix, c, describe))
        .orElse(null);
    return new ListRequest(prefix, listOptions.limit(), token, slide);
  }
}

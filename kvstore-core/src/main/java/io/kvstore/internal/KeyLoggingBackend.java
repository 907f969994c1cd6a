package io.kvstore.internal;

import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ForwardingKvBackend;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.ListRequest;
import io.kvstore.spi.RawCount;
import io.kvstore.spi.RawEntry;
import io.kvstore.spi.RawIncrement;
import io.kvstore.spi.RawKey;
import io.kvstore.spi.RawPage;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands the keys of each backend call to its {@link Operation}, so that the slow-operation log can
 * name them. Used only when the store lets keys be logged; otherwise namespaces talk to the
 * backend directly and nothing is captured.
 *
 * <p>The keys logged are the keys sent to the store, which are the keys that cost the time: a
 * near cache that answers some keys leaves them out. Only the first
 * {@link DefaultKvStore#SLOW_LOG_KEYS} are kept, so capturing costs the same for any batch size.
 */
final class KeyLoggingBackend extends ForwardingKvBackend {
  KeyLoggingBackend(KvBackend delegate) {
    super(delegate);
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    keys(call, request.keys());
    return delegate.read(call, ns, request);
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    if (call instanceof Operation op) {
      op.sentKeys(first(writes).stream().map(RawWrite::key).toList(), writes.size());
    }
    return delegate.write(call, ns, writes);
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns, List<String> keys) {
    keys(call, keys);
    return delegate.delete(call, ns, keys);
  }

  @Override
  public CompletableFuture<RawCount> increment(BackendCall call, BackendNamespace ns,
      RawIncrement increment) {
    keys(call, List.of(increment.key()));
    return delegate.increment(call, ns, increment);
  }

  @Override
  public CompletableFuture<RawPage<RawKey>> list(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    prefix(call, request);
    return delegate.list(call, ns, request);
  }

  @Override
  public CompletableFuture<RawPage<RawEntry>> listValues(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    prefix(call, request);
    return delegate.listValues(call, ns, request);
  }

  private static void keys(BackendCall call, List<String> keys) {
    if (call instanceof Operation op) {
      op.sentKeys(List.copyOf(first(keys)), keys.size());
    }
  }

  private static void prefix(BackendCall call, ListRequest request) {
    if (call instanceof Operation op) {
      op.sentPrefix(request.prefix());
    }
  }

  private static <T> List<T> first(List<T> items) {
    return items.size() <= DefaultKvStore.SLOW_LOG_KEYS ? items
        : items.subList(0, DefaultKvStore.SLOW_LOG_KEYS);
  }
}

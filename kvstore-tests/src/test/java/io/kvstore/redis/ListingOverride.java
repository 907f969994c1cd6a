package io.kvstore.redis;

import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvStats;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import java.util.concurrent.CompletableFuture;

/**
 * A store that opens every namespace with one listing strategy, so the unchanged contract suite
 * runs against indexed namespaces. Closing it closes the store it wraps.
 */
final class ListingOverride implements KvStore {
  private final KvStore delegate;
  private final Listing listing;

  ListingOverride(KvStore delegate, Listing listing) {
    this.delegate = delegate;
    this.listing = listing;
  }

  @Override
  public <V> KvNamespace<V> namespace(NamespaceOptions<V> options) {
    return delegate.namespace(options.toBuilder().listing(listing).build());
  }

  @Override
  public CompletableFuture<Void> ping() {
    return delegate.ping();
  }

  @Override
  public KvStats stats() {
    return delegate.stats();
  }

  @Override
  public Subscription listen(KvListener listener) {
    return delegate.listen(listener);
  }

  @Override
  public void close() {
    delegate.close();
  }
}

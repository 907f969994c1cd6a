/**
 * The adapter SPI: what a store must implement to get the whole typed API.
 *
 * <p>An adapter implements {@link io.kvstore.spi.KvBackend}: a handful of byte-level batch
 * operations on already validated keys. Core adds validation, codecs, TTL policies, opaque
 * cursors, round-trip accounting, listeners and the slow-operation log; wrap a backend with
 * {@link io.kvstore.KvStores#fromBackend}. Every batch is the unit of work: an adapter sends it in
 * as few round trips as the store allows and reports each with
 * {@link io.kvstore.spi.BackendCall#recordRoundTrip(int)}.
 */
@NullMarked
package io.kvstore.spi;

import org.jspecify.annotations.NullMarked;

/**
 * kvstore: typed key-value access that is fast by construction.
 *
 * <p>Start at {@link io.kvstore.KvStores} (embedded store) or {@code io.kvstore.redis.RedisKvStore}
 * (production), open a {@link io.kvstore.KvNamespace} with {@link io.kvstore.NamespaceOptions}, and
 * read many keys with {@link io.kvstore.KvNamespace#getAll} or
 * {@link io.kvstore.KvNamespace#listValues}: one round trip per batch, never one per key.
 *
 * <p><b>Conventions.</b> Nothing here takes or returns null unless marked
 * {@link org.jspecify.annotations.Nullable}; a value that may be absent is an {@code Optional}.
 * Options are immutable: built with a builder ({@code timeout(Duration)}) and read with the
 * setting's name ({@code timeout()}); a flag set by a call without arguments is read as a
 * statement ({@code PutOptions.keepTtl()} is read with {@code keepsTtl()}); a writer that sets two
 * bounds at once has a reader per bound ({@code SimulatedEdge.latency(min, max)}:
 * {@code minLatency()}, {@code maxLatency()}); an adder is singular, its reader plural
 * ({@code listener(l)}: {@code listeners()}). Options with no required setting have {@code defaults()}. Values that
 * may gain fields ({@link io.kvstore.KvStats}, {@link io.kvstore.KvEvent}) are built with
 * builders, not constructors, so adding one breaks no caller. Durations are {@code Duration}s,
 * also in {@code DEFAULT_*} constants.
 */
@NullMarked
package io.kvstore;

import org.jspecify.annotations.NullMarked;

package io.kvstore;

/**
 * Cumulative counters of one store since it was opened.
 *
 * @param operations logical operations completed (a {@code getAll} of 64 keys is one)
 * @param roundTrips network round trips waited for
 * @param keysRead keys requested by reads and listings
 * @param errors operations that failed
 * @param nearCacheHits reads answered by a near cache (0 without one)
 * @param nearCacheMisses reads a near cache had to fetch (0 without one)
 * @param nearCacheLoads batched fetches near caches made for their misses
 * @param nearCacheEvictions entries near caches dropped for size or age
 * @param invalidationsReceived keys other instances reported written, dropped from near caches
 * @param decodeFailures stored values reads could not decode (malformed, of an unknown schema
 *     version, or failed by a migration), whatever the namespace's {@link DecodeFailure} policy
 */
public record KvStats(
    long operations,
    long roundTrips,
    long keysRead,
    long errors,
    long nearCacheHits,
    long nearCacheMisses,
    long nearCacheLoads,
    long nearCacheEvictions,
    long invalidationsReceived,
    long decodeFailures) {}

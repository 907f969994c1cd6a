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
 */
public record KvStats(
    long operations,
    long roundTrips,
    long keysRead,
    long errors,
    long nearCacheHits,
    long nearCacheMisses) {}

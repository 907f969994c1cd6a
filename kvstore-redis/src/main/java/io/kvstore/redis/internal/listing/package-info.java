/**
 * What varies with a namespace's {@link io.kvstore.Listing}, behind {@link
 * io.kvstore.redis.internal.listing.ListingStrategy}: {@link
 * io.kvstore.redis.internal.listing.ScanListing} (pages by {@code ScanPager}, cursors in {@code
 * ScanToken}) and {@link io.kvstore.redis.internal.listing.IndexedListing} (sorted-set index per
 * partition, its Lua scripts as {@code .lua} resources of this package, {@code reindex} by {@code
 * IndexMigration}). The key names of both layouts are {@link
 * io.kvstore.redis.internal.protocol.RedisKeys}'.
 */
package io.kvstore.redis.internal.listing;

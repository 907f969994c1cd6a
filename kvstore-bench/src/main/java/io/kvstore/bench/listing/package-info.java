/** How listing one prefix scales with the keyspace: SCAN against the sorted-set index. */
package io.kvstore.bench.listing;

/** Near-cache benchmarks: hits against Redis round trips and against raw Caffeine. */
package io.kvstore.bench.nearcache;

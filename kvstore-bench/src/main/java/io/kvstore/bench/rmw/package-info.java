/**
 * Read-modify-write benchmarks (issue 30): counters and {@code update} by kvstore and as a
 * peer's user writes them with Lettuce and Redisson, each client a JMH {@code @Param}.
 */
package io.kvstore.bench.rmw;

/**
 * The bounded open-model load generator ({@link io.kvstore.bench.load.LoadGenerator}): fixed
 * request rate, latency from each request's scheduled start, and a mid-run server restart.
 */
package io.kvstore.bench.load;

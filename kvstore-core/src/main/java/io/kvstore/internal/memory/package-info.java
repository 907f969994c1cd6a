/** The embedded in-memory store, with simulated edge latency. */
package io.kvstore.internal.memory;

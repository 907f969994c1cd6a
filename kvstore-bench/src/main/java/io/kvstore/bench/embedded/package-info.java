/** The durable embedded store (SQLite) against the in-memory store and Redis on loopback. */
package io.kvstore.bench.embedded;

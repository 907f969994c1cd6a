/**
 * The read path: {@link io.kvstore.redis.internal.read.Reads} turns a {@code get}/{@code getAll}
 * into {@code MGET} chunks (or {@code GETEX}, or a script that reads each value with its TTL) sent
 * in one dispatch.
 */
package io.kvstore.redis.internal.read;

package io.kvstore.sqlite;

/**
 * What an acknowledged write survives: a write whose future completed normally (or whose blocking
 * call returned) is committed; this says which failures it outlives. Either way the database file
 * itself is never corrupted by a crash or a power loss: SQLite's write-ahead log rolls back a
 * transaction that did not finish, so a batch ({@code putAll}, {@code deleteAll}) is visible
 * whole or not at all.
 */
public enum Durability {
  /**
   * Every acknowledged write survives a crash of the process ({@code kill -9}, an
   * {@code OutOfMemoryError}, a JVM crash): commits reach the operating system before they are
   * acknowledged, but are not forced to the disk. A power loss or kernel crash may roll back the
   * writes of the last moments (those the operating system had not yet written out), never part
   * of a batch. SQLite's write-ahead log with {@code synchronous=NORMAL}; writes cost no fsync
   * except at checkpoints. The default: the promise of Redis with its default append-only
   * {@code fsync everysec}, at a fraction of the cost of the next level.
   */
  PROCESS_CRASH,

  /**
   * Every acknowledged write also survives a power loss or operating-system crash: each commit
   * waits for an fsync of the write-ahead log ({@code synchronous=FULL}), a few milliseconds on
   * most disks, so a single writer commits a few hundred batches a second at most. Batch
   * writes ({@code putAll}) to pay it once for many keys.
   */
  POWER_LOSS
}

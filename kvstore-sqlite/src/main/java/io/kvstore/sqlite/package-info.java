/**
 * The durable embedded store: {@link io.kvstore.sqlite.SqliteKvStore#open(java.nio.file.Path)}
 * opens a store on one SQLite file, tuned with {@link io.kvstore.sqlite.SqliteOptions}, whose
 * {@link io.kvstore.sqlite.Durability} says what survives a crash.
 */
@NullMarked
package io.kvstore.sqlite;

import org.jspecify.annotations.NullMarked;

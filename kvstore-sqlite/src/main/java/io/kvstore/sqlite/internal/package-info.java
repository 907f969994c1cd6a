/** The SQLite backend: the database file, its connections and the SQL of each operation. */
@NullMarked
package io.kvstore.sqlite.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The durable embedded store for kvstore: {@link io.kvstore.sqlite.SqliteKvStore} opens a store on
 * one SQLite file. SQLite and its JDBC driver stay implementation details: no {@code java.sql} or
 * {@code org.sqlite} type appears in the exported package.
 */
module io.kvstore.sqlite {
  requires transitive io.kvstore;
  requires java.sql;
  requires org.xerial.sqlitejdbc;

  exports io.kvstore.sqlite;
}

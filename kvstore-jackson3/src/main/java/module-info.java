/**
 * A kvstore JSON codec on Jackson 3: {@link io.kvstore.jackson3.KvJackson3#codec} encodes a
 * namespace's values with a {@code tools.jackson.databind.json.JsonMapper} of the application's.
 */
module io.kvstore.jackson3 {
  requires transitive io.kvstore;
  requires transitive tools.jackson.databind;

  exports io.kvstore.jackson3;
}

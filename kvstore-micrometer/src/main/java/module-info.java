/**
 * Micrometer meters for kvstore: add this module and register
 * {@link io.kvstore.micrometer.KvMicrometer#listener(io.micrometer.core.instrument.MeterRegistry)}
 * as a store listener.
 */
module io.kvstore.micrometer {
  requires transitive io.kvstore;
  requires transitive micrometer.core;

  exports io.kvstore.micrometer;
}

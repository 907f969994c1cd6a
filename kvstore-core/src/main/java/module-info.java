/**
 * kvstore core: the typed key-value API ({@code io.kvstore}) and the adapter SPI
 * ({@code io.kvstore.spi}). Implementation packages are not exported.
 */
module io.kvstore {
  requires transitive org.slf4j;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.module.blackbird;
  requires com.github.benmanes.caffeine;
  requires static com.github.luben.zstd_jni;
  requires static org.lz4.java;
  requires transitive org.jspecify;

  exports io.kvstore;
  exports io.kvstore.spi;
}

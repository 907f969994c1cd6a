/**
 * Spring Boot auto-configuration for kvstore. The package is opened to Spring, which creates the
 * configuration classes and binds the properties records reflectively.
 */
module io.kvstore.spring.boot.autoconfigure {
  requires transitive io.kvstore;
  requires io.kvstore.redis;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires spring.beans;
  requires spring.context;
  requires spring.core;
  requires static io.kvstore.sqlite;
  requires static io.kvstore.micrometer;
  requires static micrometer.core;
  requires static io.kvstore.opentelemetry;
  requires static io.opentelemetry.api;
  requires static io.kvstore.jackson3;
  requires static transitive tools.jackson.databind;
  requires static spring.boot.health;
  requires static spring.boot.actuator;

  exports io.kvstore.spring.boot.autoconfigure;
  opens io.kvstore.spring.boot.autoconfigure to spring.core, spring.beans, spring.context,
      spring.boot;
}

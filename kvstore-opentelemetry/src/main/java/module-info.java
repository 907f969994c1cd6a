/**
 * OpenTelemetry tracing for kvstore: register
 * {@link io.kvstore.opentelemetry.KvOpenTelemetry#tracer(io.opentelemetry.api.OpenTelemetry)} as a
 * store's tracer. Needs the OpenTelemetry API only; the SDK is the application's choice.
 */
module io.kvstore.opentelemetry {
  requires transitive io.kvstore;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports io.kvstore.opentelemetry;
}

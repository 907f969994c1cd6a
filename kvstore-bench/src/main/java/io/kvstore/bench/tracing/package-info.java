/** Tracing overhead: getAll with no tracer, a no-op OpenTelemetry and a recording SDK. */
package io.kvstore.bench.tracing;

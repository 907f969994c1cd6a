/**
 * OpenTelemetry binding for kvstore: {@link io.kvstore.opentelemetry.KvOpenTelemetry} turns each
 * logical operation of a store into one client span, a child of the caller's context.
 */
@NullMarked
package io.kvstore.opentelemetry;

import org.jspecify.annotations.NullMarked;

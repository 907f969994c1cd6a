/**
 * Micrometer binding for kvstore: {@link io.kvstore.micrometer.KvMicrometer} turns the
 * {@link io.kvstore.KvEvent}s of a store into timers and counters.
 */
@NullMarked
package io.kvstore.micrometer;

import org.jspecify.annotations.NullMarked;

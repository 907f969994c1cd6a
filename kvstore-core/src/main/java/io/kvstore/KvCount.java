package io.kvstore;

/**
 * The outcome of a bounded {@link KvNamespace#increment(String, long, CounterOptions)}: callers
 * read it and never parse errors. Immutable.
 *
 * @param value the counter after the call: the new value if applied; otherwise the value it
 *     still holds (0 for an absent counter)
 * @param applied {@code true} if the increment was applied, {@code false} if it was refused
 *     because the result would have passed a bound of the {@link CounterOptions}
 */
public record KvCount(long value, boolean applied) {}

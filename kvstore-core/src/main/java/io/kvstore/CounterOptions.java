package io.kvstore;

/**
 * Bounds of a counter increment ({@link KvNamespace#increment(String, long, CounterOptions)}): an
 * increment whose result would fall below {@link #min()} or above {@link #max()} is refused,
 * atomically, and changes nothing ({@link KvCount#applied()} is {@code false}). Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * KvCount hits = limits.increment("user-42:" + minute, 1, CounterOptions.atMost(100)).join();
 * if (!hits.applied()) { ... }                     // over the limit: nothing was counted
 * stock.increment("sku-7", -2, CounterOptions.atLeast(0));   // never below zero
 * }</pre>
 */
public final class CounterOptions {
  private static final CounterOptions UNBOUNDED =
      new CounterOptions(Long.MIN_VALUE, Long.MAX_VALUE);

  private final long min;
  private final long max;

  private CounterOptions(long min, long max) {
    this.min = min;
    this.max = max;
  }

  /**
   * Returns options without bounds: only an overflow of {@code long} fails an increment.
   *
   * @return the unbounded options
   */
  public static CounterOptions unbounded() {
    return UNBOUNDED;
  }

  /**
   * Returns options that refuse an increment whose result would be above {@code max}.
   *
   * @param max the largest value the counter may reach
   * @return the options
   */
  public static CounterOptions atMost(long max) {
    return new CounterOptions(Long.MIN_VALUE, max);
  }

  /**
   * Returns options that refuse an increment whose result would be below {@code min}.
   *
   * @param min the smallest value the counter may reach
   * @return the options
   */
  public static CounterOptions atLeast(long min) {
    return new CounterOptions(min, Long.MAX_VALUE);
  }

  /**
   * Returns options that refuse an increment whose result would be outside {@code [min, max]}.
   *
   * @param min the smallest value the counter may reach
   * @param max the largest value the counter may reach
   * @return the options
   * @throws KvValidationException if {@code min > max}
   */
  public static CounterOptions between(long min, long max) {
    if (min > max) {
      throw new KvValidationException("min", "counter bounds are [" + min + ", " + max
          + "]; min must not be above max");
    }
    return new CounterOptions(min, max);
  }

  /**
   * Returns the smallest value an increment may leave; {@code Long.MIN_VALUE} if unbounded.
   *
   * @return the lower bound, inclusive
   */
  public long min() {
    return min;
  }

  /**
   * Returns the largest value an increment may leave; {@code Long.MAX_VALUE} if unbounded.
   *
   * @return the upper bound, inclusive
   */
  public long max() {
    return max;
  }

  @Override
  public String toString() {
    return "CounterOptions[min=" + min + ", max=" + max + "]";
  }
}

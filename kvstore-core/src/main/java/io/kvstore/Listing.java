package io.kvstore;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a namespace lists keys by prefix. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #UNINDEXED} (the default): the store walks its keyspace for matching keys (on
 *       Redis with {@code SCAN}). Nothing extra is written, but on Redis the cost of a page grows
 *       with every key in the database, and pages come in no particular order.
 *   <li>{@link #INDEXED}: the store keeps an ordered index of the namespace's keys, updated with
 *       every write, so a page costs about the page, in lexicographic order, however large the
 *       database. Writes do a little more work.
 * </ul>
 *
 * <p>On Redis Cluster an indexed namespace is split into partitions, each with its own index kept
 * in one slot with its keys: {@link #indexedBy(Function)} chooses the partition of a key (by
 * default, the whole namespace is one partition). Listing then needs a prefix that names one
 * partition. The embedded store always lists in order, whatever the strategy.
 */
public final class Listing {
  /** Walk the keyspace for each page (on Redis, {@code SCAN}); keep no index. */
  public static final Listing UNINDEXED = new Listing("UNINDEXED", null);

  /** Keep an ordered index; the whole namespace is one partition. */
  public static final Listing INDEXED = new Listing("INDEXED", key -> "");

  private final String name;
  private final Function<String, String> partition;

  private Listing(String name, Function<String, String> partition) {
    this.name = name;
    this.partition = partition;
  }

  /**
   * Returns an indexed listing whose index is split by a partition function, so that on Redis
   * Cluster one namespace spreads over many slots. A prefix listed must name one partition: with
   * {@link #firstSegment(char)}, {@code "user-42:"} lists partition {@code "user-42"}.
   *
   * @param partition maps a key to its partition; must give every key that starts with a listed
   *     prefix the same partition
   * @return the listing
   * @throws KvValidationException if {@code partition} is null
   */
  public static Listing indexedBy(Function<String, String> partition) {
    if (partition == null) {
      throw new KvValidationException("partition", "partition function must not be null");
    }
    return new Listing("INDEXED", partition);
  }

  /**
   * Returns a partition function: the part of the key before the first {@code separator}, or the
   * whole key if it has none. {@code firstSegment(':')} puts {@code user-42:w01:d1} in partition
   * {@code user-42}.
   *
   * @param separator the separator
   * @return the function
   */
  public static Function<String, String> firstSegment(char separator) {
    return key -> {
      int at = key.indexOf(separator);
      return at < 0 ? key : key.substring(0, at);
    };
  }

  /**
   * Tells whether this listing keeps an index.
   *
   * @return {@code true} for indexed listings
   */
  public boolean indexed() {
    return partition != null;
  }

  /**
   * Returns the partition function of an indexed listing.
   *
   * @return the function, or empty for {@link #UNINDEXED}
   */
  public Optional<Function<String, String>> partition() {
    return Optional.ofNullable(partition);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Listing l && name.equals(l.name) && Objects.equals(partition, l.partition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, partition);
  }

  @Override
  public String toString() {
    return "Listing." + name;
  }
}

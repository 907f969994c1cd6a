package io.kvstore;

import java.util.Objects;
import java.util.Optional;

/**
 * What to list: a literal key prefix, a page size and where to resume. Immutable and thread-safe;
 * each method returns a new instance.
 *
 * <pre>{@code
 * KvPage page = ns.list(ListOptions.prefix("user-42:").limit(100)).join();
 * while (!page.complete()) {
 *   page = ns.list(ListOptions.prefix("user-42:").limit(100).cursor(page.cursor())).join();
 * }
 * }</pre>
 *
 * <p>The prefix is literal: {@code *}, {@code ?}, {@code [} and {@code \} in it never act as
 * patterns.
 */
public final class ListOptions {
  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 1000;

  /** The largest page size accepted. */
  public static final int MAX_LIMIT = 1000;

  private final String prefix;
  private final int limit;
  private final String cursor;

  private ListOptions(String prefix, int limit, String cursor) {
    this.prefix = prefix;
    this.limit = limit;
    this.cursor = cursor;
  }

  /**
   * Returns options that list the keys starting with {@code prefix}.
   *
   * @param prefix a literal prefix; may be empty to list the whole namespace
   * @return the options, with the default limit and no cursor
   * @throws KvValidationException if {@code prefix} is null (the namespace checks its content)
   */
  public static ListOptions prefix(String prefix) {
    if (prefix == null) {
      throw new KvValidationException("prefix", "prefix must not be null; use \"\" to list all");
    }
    return new ListOptions(prefix, DEFAULT_LIMIT, null);
  }

  /**
   * Returns options that list every key of the namespace.
   *
   * @return the options, with the default limit and no cursor
   */
  public static ListOptions all() {
    return new ListOptions("", DEFAULT_LIMIT, null);
  }

  /**
   * Returns a copy with another page size.
   *
   * @param limit the most keys one page returns, in {@code [1, MAX_LIMIT]}
   * @return the new options
   * @throws KvValidationException if {@code limit} is out of range
   */
  public ListOptions limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new KvValidationException(
          "limit", "limit is " + limit + "; it must be between 1 and " + MAX_LIMIT);
    }
    return new ListOptions(prefix, limit, cursor);
  }

  /**
   * Returns a copy that resumes after the page that returned {@code cursor}.
   *
   * <p>Cursors may be handed to untrusted clients (as page tokens of an HTTP API): whatever a
   * cursor holds, a listing never reads, returns, expires, slides or deletes a key outside its
   * namespace and prefix, and never asks the store for more work per call than the store's own
   * settings; a cursor that names anything else is refused with {@link KvValidationException}
   * before anything is sent. At worst a made-up cursor skips or repeats keys of the same
   * namespace and prefix. To make cursors unforgeable, give the store (every instance of it) a
   * secret {@link StoreOptions.Builder#cursorKey(byte[]) cursorKey}.
   *
   * @param cursor the {@link KvPage#cursor()} of the previous page, with the same namespace and
   *     prefix
   * @return the new options
   * @throws KvValidationException if {@code cursor} is null or empty (the namespace checks that
   *     it belongs to it when listing)
   */
  public ListOptions cursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      throw new KvValidationException(
          "cursor", "cursor must not be null or empty; a complete page has no cursor to follow");
    }
    return new ListOptions(prefix, limit, cursor);
  }

  /**
   * Returns the literal prefix.
   *
   * @return the prefix, empty for the whole namespace
   */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns the page size.
   *
   * @return the most keys a page holds
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns the cursor to resume from.
   *
   * @return the cursor, or empty to start at the beginning
   */
  public Optional<String> cursor() {
    return Optional.ofNullable(cursor);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListOptions l
        && prefix.equals(l.prefix)
        && limit == l.limit
        && Objects.equals(cursor, l.cursor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefix, limit, cursor);
  }

  @Override
  public String toString() {
    return "ListOptions{limit=" + limit + (cursor == null ? "" : ", cursor") + "}";
  }
}

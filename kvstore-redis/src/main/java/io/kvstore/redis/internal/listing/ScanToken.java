package io.kvstore.redis.internal.listing;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a SCAN listing resumes, per node (one on a single server, one per master in Cluster): the
 * server cursor of the next SCAN call, or {@link Position#DONE} once that node's walk is finished.
 *
 * <p>A page that fills up in the middle of a SCAN reply carries the reply's remaining keys in the
 * token ({@link #leftovers()}), so the next page starts with them and the call is never repeated:
 * a repeated SCAN call is not guaranteed to return the same keys while Redis resizes a table, and
 * resuming from a repeated call could then skip or repeat a key. Leftovers are bounded (the
 * cursor must stay short), so a reply whose remaining keys would not fit is not used at all: its
 * node keeps its position and the page asks again with a smaller {@code COUNT} (the keys the page
 * still needs, then 1), which returns fewer keys. Only when even a {@code COUNT 1} reply (one
 * hash bucket) overflows does a position fall back to repeating that call and taking the reply's
 * keys that sort after the last one returned ({@link Position#after()}); the repeat sends the
 * same {@code COUNT} ({@link Position#count()}), which makes SCAN visit the same buckets, so no
 * key is skipped or repeated while the table keeps its size. Only a table shrinking between those
 * two calls (after mass deletes) could make that rare repeat differ.
 *
 * <p>Keys never contain control characters, so the text form puts one node per line (the cursor,
 * then {@code /} and the {@code COUNT} to repeat if any, then a space and the resume key if any),
 * then one leftover key per line.
 *
 * @param positions one position per node, in the transport's node order
 * @param leftovers full keys of a reply that did not fit the previous page, in order
 */
record ScanToken(List<Position> positions, List<String> leftovers) {
  /**
   * One node's position.
   *
   * @param cursor the server cursor of the next SCAN call on the node
   * @param after the last key already returned from that call's reply, or {@code null}
   * @param count the {@code COUNT} the next call must send, or 0 to let the page choose; set
   *     whenever {@code after} is (cursors issued before it was recorded carry 0)
   */
  record Position(String cursor, String after, int count) {
    static final Position DONE = new Position("-", null, 0);
    static final Position START = new Position("0", null, 0);

    boolean done() {
      return this.equals(DONE);
    }
  }

  ScanToken {
    positions = List.copyOf(positions);
    leftovers = List.copyOf(leftovers);
  }

  static ScanToken start(int nodes) {
    List<Position> positions = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      positions.add(Position.START);
    }
    return new ScanToken(positions, List.of());
  }

  /**
   * Parses a token written by {@link #format()}. A cursor is attacker input, so every field is
   * checked or bounded here, before anything is sent: server cursors must be unsigned 64-bit
   * numbers (Redis refuses others), and a {@code COUNT} above {@code maxCount} is lowered to it,
   * so no token makes a SCAN call examine more entries than the store's own {@code scanCount}
   * (a cursor from a store with a larger setting keeps working: COUNT is a hint, and a position
   * that repeats a call, the one case where the exact COUNT matters, always carries 1). Keys
   * the token names are checked by {@link #within(String)}.
   *
   * @param token the token, or {@code null} to start
   * @param nodes the transport's node count
   * @param maxCount the largest COUNT a position may carry
   * @throws IllegalArgumentException if it is malformed or was made for another node count
   */
  static ScanToken parse(String token, int nodes, int maxCount) {
    if (token == null) {
      return start(nodes);
    }
    String[] lines = token.split("\n", -1);
    if (lines.length < nodes) {
      throw new IllegalArgumentException("scan token for fewer than " + nodes + " nodes");
    }
    List<Position> positions = new ArrayList<>(nodes);
    for (String line : java.util.Arrays.asList(lines).subList(0, nodes)) {
      if (line.equals("-")) {
        positions.add(Position.DONE);
        continue;
      }
      int space = line.indexOf(' ');
      String head = space < 0 ? line : line.substring(0, space);
      int slash = head.indexOf('/');
      String cursor = slash < 0 ? head : head.substring(0, slash);
      String count = slash < 0 ? "0" : head.substring(slash + 1);
      if (!digits(cursor) || cursor.length() > 20 || !digits(count) || count.length() > 9) {
        throw new IllegalArgumentException("malformed scan position");
      }
      Long.parseUnsignedLong(cursor); // NumberFormatException beyond 2^64 - 1
      positions.add(new Position(cursor, space < 0 ? null : line.substring(space + 1),
          Math.min(Integer.parseInt(count), maxCount)));
    }
    List<String> leftovers = java.util.Arrays.asList(lines).subList(nodes, lines.length);
    return new ScanToken(positions, leftovers);
  }

  /**
   * Whether every key the token names (leftovers and resume keys) starts with {@code literal},
   * the namespace and prefix being listed: a token that names any other key must be refused
   * before anything is read, since the pager hands leftovers out as keys of the page.
   *
   * @param literal {@code namespace:prefix}
   * @return {@code true} if the token names no key outside it
   */
  boolean within(String literal) {
    for (Position position : positions) {
      if (position.after() != null && !position.after().startsWith(literal)) {
        return false;
      }
    }
    for (String key : leftovers) {
      if (!key.startsWith(literal)) {
        return false;
      }
    }
    return true;
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  boolean finished() {
    return leftovers.isEmpty() && positions.stream().allMatch(Position::done);
  }

  String format() {
    StringBuilder sb = new StringBuilder();
    for (Position p : positions) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(p.cursor());
      if (p.count() > 0) {
        sb.append('/').append(p.count());
      }
      if (p.after() != null) {
        sb.append(' ').append(p.after());
      }
    }
    for (String key : leftovers) {
      sb.append('\n').append(key);
    }
    return sb.toString();
  }
}

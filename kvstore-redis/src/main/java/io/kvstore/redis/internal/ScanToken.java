package io.kvstore.redis.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a SCAN listing resumes, per node (one on a single server, one per master in Cluster): the
 * server cursor of the next SCAN call, or {@link Position#DONE} once that node's walk is finished.
 *
 * <p>A page that fills up in the middle of a SCAN reply carries the reply's remaining keys in the
 * token ({@link #leftovers()}), so the next page starts with them and the call is never repeated:
 * a repeated SCAN call is not guaranteed to return the same keys while Redis resizes a table, and
 * resuming from a repeated call could then return a key twice. Pages ask SCAN for about as many
 * entries as they still need, which keeps leftovers to a few keys. Only if they would make the
 * cursor too long does a position fall back to repeating the call and taking the reply's keys
 * that sort after the last one returned ({@link Position#after()}); that never skips a key, and
 * may repeat one only if Redis resizes its table between the two pages.
 *
 * <p>Keys never contain control characters, so the text form puts one node per line (the cursor,
 * then a space and the resume key if any), then one leftover key per line.
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
   */
  record Position(String cursor, String after) {
    static final Position DONE = new Position("-", null);
    static final Position START = new Position("0", null);

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
   * Parses a token written by {@link #format()}.
   *
   * @throws IllegalArgumentException if it is malformed or was made for another node count
   */
  static ScanToken parse(String token, int nodes) {
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
      String cursor = space < 0 ? line : line.substring(0, space);
      if (cursor.isEmpty() || !cursor.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("malformed scan position");
      }
      positions.add(new Position(cursor, space < 0 ? null : line.substring(space + 1)));
    }
    List<String> leftovers = java.util.Arrays.asList(lines).subList(nodes, lines.length);
    return new ScanToken(positions, leftovers);
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

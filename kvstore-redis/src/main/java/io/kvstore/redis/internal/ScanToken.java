package io.kvstore.redis.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a SCAN listing resumes, per node (one on a single server, one per master in Cluster): the
 * server cursor of the SCAN call to repeat and how many matching keys of that call's reply were
 * already returned, or {@link Position#DONE} once the node's walk is finished. Re-running a SCAN
 * call with the same cursor on a stable keyspace returns the same reply, so a page can end in the
 * middle of a reply without losing or repeating keys, and pages are never longer than the limit.
 *
 * @param positions one position per node, in the transport's node order
 */
record ScanToken(List<Position> positions) {
  /**
   * One node's position.
   *
   * @param cursor the server cursor of the SCAN call to (re)issue
   * @param skip matching keys of that call's reply already returned
   */
  record Position(String cursor, int skip) {
    static final Position DONE = new Position("-", 0);
    static final Position START = new Position("0", 0);

    boolean done() {
      return this.equals(DONE);
    }
  }

  ScanToken {
    positions = List.copyOf(positions);
  }

  static ScanToken start(int nodes) {
    List<Position> positions = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      positions.add(Position.START);
    }
    return new ScanToken(positions);
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
    String[] parts = token.split(";", -1);
    if (parts.length != nodes) {
      throw new IllegalArgumentException("scan token for " + parts.length + " nodes, not "
          + nodes);
    }
    List<Position> positions = new ArrayList<>(nodes);
    for (String part : parts) {
      if (part.equals("-")) {
        positions.add(Position.DONE);
        continue;
      }
      String[] cs = part.split(",", -1);
      if (cs.length != 2 || !cs[0].chars().allMatch(Character::isDigit) || cs[0].isEmpty()) {
        throw new IllegalArgumentException("malformed scan position");
      }
      int skip = Integer.parseInt(cs[1]);
      if (skip < 0) {
        throw new IllegalArgumentException("negative skip");
      }
      positions.add(new Position(cs[0], skip));
    }
    return new ScanToken(positions);
  }

  boolean finished() {
    return positions.stream().allMatch(Position::done);
  }

  String format() {
    StringBuilder sb = new StringBuilder();
    for (Position p : positions) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(p.done() ? "-" : p.cursor() + "," + p.skip());
    }
    return sb.toString();
  }
}

package io.kvstore.bench.rmw;

import io.kvstore.bench.peers.Client;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The record the update benchmarks change: a per-user summary, as the workout service keeps.
 *
 * @param completed completed workouts
 * @param streak current streak
 */
public record Summary(int completed, int streak) {
  /** What every update does: one more completion. */
  Summary next() {
    return new Summary(completed + 1, streak + 1);
  }

  /** The next summary of stored JSON (or of none), as JSON: what a peer's user writes. */
  static String next(String json) {
    try {
      Summary current = json == null ? new Summary(0, 0)
          : Client.PLAIN_MAPPER.readValue(json, Summary.class);
      return Client.PLAIN_MAPPER.writeValueAsString(current.next());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

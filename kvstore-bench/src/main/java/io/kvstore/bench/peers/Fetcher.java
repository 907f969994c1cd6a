package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import java.util.Collection;

/** Reads a fixed set of workout completions with one client. Thread-safe. */
public interface Fetcher extends AutoCloseable {
  /**
   * Reads the keys this fetcher was opened with, as one batch.
   *
   * @return the decoded records of the keys that exist
   */
  Collection<WorkoutCompletion> fetch();

  /** Releases the client's connections. */
  @Override
  void close();
}

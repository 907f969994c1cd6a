package io.kvstore.bench.peers;

import java.util.Collection;

/** Reads a fixed set of workout completions with one client. Thread-safe. */
public interface Fetcher extends AutoCloseable {
  /**
   * Reads the keys this fetcher was opened with, as one batch.
   *
   * @return the decoded records of the keys that exist, or their raw values for the rows that
   *     decode nothing ({@link Client#records} decodes them)
   */
  Collection<?> fetch();

  /** Releases the client's connections. */
  @Override
  void close();
}

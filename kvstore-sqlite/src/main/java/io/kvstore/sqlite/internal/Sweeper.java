package io.kvstore.sqlite.internal;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows in the background, on the writer. Every statement already filters expired
 * rows, so the sweep only reclaims space: every interval it deletes at most {@value #SWEEP_BATCH}
 * expired rows per transaction, queueing another pass behind the writes that arrived meanwhile
 * while a pass fills its batch, so writes interleave with a long sweep.
 */
final class Sweeper {
  static final int SWEEP_BATCH = 10_000;
  static final String SWEEP = "DELETE FROM kv WHERE (ns, key) IN"
      + " (SELECT ns, key FROM kv WHERE expires <= ? LIMIT " + SWEEP_BATCH + ")";
  private static final Logger LOG = LoggerFactory.getLogger(SqliteBackend.class);

  private final Lanes lanes;
  private final Clock clock;
  private final Path file;

  private Sweeper(Lanes lanes, Clock clock, Path file) {
    this.lanes = lanes;
    this.clock = clock;
    this.file = file;
  }

  /** Sweeps every {@code interval} on the writer until the lanes close. */
  static void start(Lanes lanes, Clock clock, Path file, Duration interval) {
    lanes.repeatOnWriter(new Sweeper(lanes, clock, file)::sweep, interval.toMillis());
  }

  private void sweep() {
    if (lanes.isClosed()) {
      return;
    }
    try {
      PreparedStatement ps = Worker.current().prepare(SWEEP);
      ps.setLong(1, clock.millis());
      if (ps.executeUpdate() == SWEEP_BATCH) {
        // More to sweep: queue another pass behind the writes that arrived meanwhile.
        lanes.queueOnWriter(this::sweep);
      }
    } catch (RejectedExecutionException closing) {
      // The store closed while this pass ran: the next open sweeps what is left.
    } catch (SQLException e) {
      LOG.warn("kvstore database {}: sweeping expired entries failed; the next sweep retries",
          file, e);
    }
  }
}

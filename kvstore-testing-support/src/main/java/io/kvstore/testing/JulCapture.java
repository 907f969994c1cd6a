package io.kvstore.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a java.util.logging logger and its children log while open: libraries that log
 * through {@code System.Logger} without an SLF4J bridge (Caffeine) end up there.
 */
public final class JulCapture implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  // Held strongly: java.util.logging keeps loggers only weakly, and a collected logger would
  // drop the handler.
  private final Logger logger;
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /**
   * Starts capturing.
   *
   * @param loggerName the logger, such as {@code "com.github.benmanes.caffeine"}
   */
  public JulCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(handler);
  }

  /**
   * Returns the messages logged so far.
   *
   * @return the messages, in order
   */
  public List<String> messages() {
    return records.stream().map(LogRecord::getMessage).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}

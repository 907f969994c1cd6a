package io.kvstore;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger logs while it is open, for assertions on exact log lines. */
final class LogCapture implements AutoCloseable {
  /** One captured line. */
  record Line(Level level, String message) {}

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /** The lines logged so far that contain {@code text}, in order. */
  List<Line> linesContaining(String text) {
    synchronized (appender) {
      return appender.list.stream()
          .filter(e -> e.getFormattedMessage().contains(text))
          .map(e -> new Line(e.getLevel(), e.getFormattedMessage()))
          .toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}

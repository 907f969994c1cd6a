package io.kvstore.redis.internal.invalidation;

import io.kvstore.spi.InvalidationListener;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What server tracking tells ({@link ServerTracking.Sink}), passed on to the bus's listeners:
 * keys per namespace, "everything", and the pauses while a tracking connection is down. A
 * listener that subscribes during a pause starts paused ({@link #joined}); one lock orders
 * pauses, resumes and those starts, not the bus's own, which tracking's start holds while it
 * opens connections whose drops pause.
 */
final class TrackingSink implements ServerTracking.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingSink.class);

  private final Map<String, List<InvalidationListener>> listeners;
  private final String channelPrefix;
  private final Consumer<String> clearAll;
  private final Runnable forgetOwnMessages;
  private boolean paused; // guarded by this

  /**
   * A sink over the bus's listeners.
   *
   * @param listeners the listeners by channel
   * @param channelPrefix a namespace's channel is this prefix and its name
   * @param clearAll clears every near cache, saying why
   * @param forgetOwnMessages forgets the messages the bus would not deliver to itself
   */
  TrackingSink(Map<String, List<InvalidationListener>> listeners, String channelPrefix,
      Consumer<String> clearAll, Runnable forgetOwnMessages) {
    this.listeners = listeners;
    this.channelPrefix = channelPrefix;
    this.clearAll = clearAll;
    this.forgetOwnMessages = forgetOwnMessages;
  }

  @Override
  public void invalidate(String namespace, List<String> keys) {
    List<InvalidationListener> targets = listeners.get(channelPrefix + namespace);
    if (targets != null) {
      targets.forEach(t -> t.invalidate(keys));
    }
  }

  @Override
  public void invalidateAll() {
    clearAll.accept("the server invalidated everything, or tracked a node anew");
  }

  @Override
  public synchronized void paused() {
    paused = true;
    forgetOwnMessages.run();
    LOG.debug("near caches paused: a tracking connection is down");
    listeners.values().forEach(list -> list.forEach(InvalidationListener::pause));
  }

  @Override
  public synchronized void resumed() {
    paused = false;
    LOG.debug("near caches resumed: every tracking connection is back");
    listeners.values().forEach(list -> list.forEach(InvalidationListener::resume));
  }

  /** A listener joined the bus: paused at once if tracking is down now. */
  synchronized void joined(InvalidationListener listener) {
    if (paused) {
      listener.pause();
    }
  }
}

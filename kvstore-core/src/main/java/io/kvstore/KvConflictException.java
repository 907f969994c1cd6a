package io.kvstore;

/**
 * An {@link KvNamespace#update} lost the race for its key on every attempt: other writers kept
 * changing the value between its read and its conditional write. Nothing of the update was
 * written. Retrying later may succeed; a key this contended may also want a counter or fewer
 * writers.
 */
public class KvConflictException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The key that was contended. */
  private final String key;

  /** How many attempts were made. */
  private final int attempts;

  /**
   * Creates a conflict failure.
   *
   * @param key the key (kept out of the message unless key logging is on)
   * @param attempts how many attempts were made
   * @param message what failed, naming the operation and the attempts
   */
  public KvConflictException(String key, int attempts, String message) {
    super(message);
    this.key = key;
    this.attempts = attempts;
  }

  /**
   * Returns the key the update could not win.
   *
   * @return the key, as the caller named it (without the namespace)
   */
  public String key() {
    return key;
  }

  /**
   * Returns how many read-and-write attempts were made.
   *
   * @return the attempts, {@link UpdateOptions#maxAttempts()} of the call
   */
  public int attempts() {
    return attempts;
  }
}

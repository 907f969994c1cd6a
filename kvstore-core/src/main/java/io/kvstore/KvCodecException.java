package io.kvstore;

import org.jspecify.annotations.Nullable;

/**
 * One value could not be encoded or decoded. It fails only its own key: batch reads report it
 * per key ({@link KvResult.Failed}) and go on with the others.
 */
public class KvCodecException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The key whose value failed. */
  private final String key;

  /**
   * Creates a codec failure for one key.
   *
   * @param key the key whose value failed (kept out of the message unless key logging is on)
   * @param message what failed, without the value
   * @param cause the codec's own exception, if any
   */
  public KvCodecException(String key, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /**
   * Returns the key whose value failed to encode or decode.
   *
   * @return the key, as the caller named it (without the namespace)
   */
  public String key() {
    return key;
  }
}

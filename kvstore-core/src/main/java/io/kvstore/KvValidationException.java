package io.kvstore;

/**
 * An argument broke a rule (key, prefix, TTL, value size, list limit, cursor, null). Thrown
 * before anything is sent to the store; retrying the same call cannot succeed.
 */
public class KvValidationException extends KvException {
  private static final long serialVersionUID = 1L;

  /** The name of the offending argument. */
  private final String argument;

  /**
   * Creates a validation failure.
   *
   * @param argument the name of the offending argument, such as {@code "key"} or {@code "ttl"}
   * @param message what rule was broken, naming the argument
   */
  public KvValidationException(String argument, String message) {
    super(message);
    this.argument = argument;
  }

  /**
   * Returns the name of the argument that broke a rule.
   *
   * @return the argument name, such as {@code "key"}, {@code "limit"} or {@code "cursor"}
   */
  public String argument() {
    return argument;
  }
}

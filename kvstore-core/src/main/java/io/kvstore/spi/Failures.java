package io.kvstore.spi;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Reads the failure a future completed with, the same way in kvstore and in an adapter: a
 * {@code join()} or a dependent stage wraps it in {@link CompletionException}, a {@code get()} in
 * {@link ExecutionException}. Stateless and thread-safe.
 */
public final class Failures {
  private Failures() {}

  /**
   * Returns the failure itself, without the wrappers futures put around it.
   *
   * @param failure what a future, a {@code join()} or a {@code get()} reported
   * @return the innermost cause that is not a {@link CompletionException} or
   *     {@link ExecutionException}; {@code failure} itself if it is neither
   */
  public static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

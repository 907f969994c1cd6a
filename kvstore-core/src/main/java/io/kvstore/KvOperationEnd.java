package io.kvstore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operation as it ends, handed to {@link KvTracer.OperationSpan#end}: the same
 * {@link KvEvent} the listeners get, the exception itself on failure, and the keys the
 * slow-operation log would show.
 *
 * @param event counts, duration and outcome, as listeners see them
 * @param error the exception the caller's future fails with, or empty on success
 * @param keys the first three keys sent to the store, each cut to 64 characters, when the store
 *     lets keys be logged ({@link ObservabilityOptions#logKeys()}); otherwise empty. Keys a near
 *     cache answered are not sent, so not listed
 * @param prefix the prefix a listing sent, cut to 64 characters, when keys may be logged;
 *     otherwise empty
 */
public record KvOperationEnd(KvEvent event, Optional<KvException> error, List<String> keys,
    Optional<String> prefix) {
  /**
   * Checks the components and copies the key list.
   *
   * @param event counts, duration and outcome
   * @param error the exception, or empty on success
   * @param keys the first keys sent, when keys may be logged; otherwise empty
   * @param prefix the listing's prefix, when keys may be logged; otherwise empty
   */
  public KvOperationEnd {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(error, "error");
    keys = List.copyOf(keys);
    Objects.requireNonNull(prefix, "prefix");
  }
}

package io.kvstore.redis.internal;

import io.kvstore.KvException;
import io.kvstore.KvOperation;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.spi.BackendCall;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns Lettuce failures into kvstore exceptions. The Lettuce exception stays
 * the cause; its type never reaches a public signature. Server error replies (such as WRONGTYPE
 * or OOM) carry no values, so their text is kept.
 */
final class Errors {
  private Errors() {}

  static KvException translate(Throwable failure, BackendCall call, Duration timeout) {
    Throwable t = unwrap(failure);
    if (t instanceof KvException kv) {
      return kv;
    }
    if (t instanceof RedisCommandTimeoutException) {
      boolean writes = isWrite(call.operation());
      return new KvTimeoutException(call.describe() + ": Redis did not answer within "
          + timeout.toMillis() + " ms" + (writes ? "; the write may still have been applied" : ""),
          writes, t);
    }
    if (t instanceof RedisCommandExecutionException) {
      return new KvException(call.describe() + ": Redis replied with an error: " + t.getMessage(),
          t);
    }
    if (t instanceof RedisConnectionException || t instanceof IOException
        || t instanceof CancellationException || t instanceof RedisException) {
      boolean writes = isWrite(call.operation());
      return new KvUnavailableException(call.describe() + ": Redis is unavailable ("
          + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
          + ")" + (writes ? "; a write in flight may or may not have been applied" : ""), t);
    }
    return new KvException(call.describe() + " failed: " + t.getClass().getName(), t);
  }

  static boolean isWrite(KvOperation operation) {
    return switch (operation) {
      case PUT, PUT_ALL, DELETE, DELETE_ALL, REINDEX -> true;
      default -> false;
    };
  }

  static boolean isRedirect(Throwable failure) {
    Throwable t = unwrap(failure);
    return t instanceof RedisCommandExecutionException && t.getMessage() != null
        && (t.getMessage().startsWith("MOVED") || t.getMessage().startsWith("ASK"));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

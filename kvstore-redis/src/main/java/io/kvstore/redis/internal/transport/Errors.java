package io.kvstore.redis.internal.transport;

import io.kvstore.KvException;
import io.kvstore.KvOperation;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.Failures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that turns Lettuce failures into kvstore exceptions. The Lettuce exception stays
 * the cause; its type never reaches a public signature. Server error replies carry no values, so
 * their text is kept.
 *
 * <p>An error reply is a {@link KvUnavailableException} when it says the server cannot serve the
 * command for now and a later retry may succeed without anyone changing anything: {@code READONLY}
 * (a replica, such as an old master after a failover), {@code LOADING} (a restart reading its
 * dataset), {@code BUSY} (a script running past its time limit), {@code TRYAGAIN} (a multi-key
 * command during a slot migration), {@code CLUSTERDOWN} (the cluster lost a master's slots),
 * {@code MASTERDOWN} (a replica that lost its master and does not serve stale data), {@code MOVED}
 * and {@code ASK} (a slot moving faster than the redirects could follow, or a redirect to a node
 * the client does not know yet), with the kind
 * in the message and in {@link KvUnavailableException#replyKind()}. Lettuce maps the first three
 * to types of their own; the prefix is what they all share. Every other reply
 * (such as {@code WRONGTYPE}, or {@code OOM}: memory stays full until keys expire or someone
 * raises {@code maxmemory}, so retrying would only hammer a full server) stays a plain
 * {@link KvException}. {@code NOSCRIPT} never reaches here: {@link LuaScript} loads the script
 * and sends it again.
 */
public final class Errors {
  /** Error reply kinds after which a retry may succeed. */
  private static final Set<String> TRANSIENT = Set.of("READONLY", "LOADING",
      "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "MOVED", "ASK");

  private Errors() {}

  /**
   * Translates a failure of a call.
   *
   * @param failure what Lettuce threw or completed with
   * @param call the call
   * @param timeout the reply timeout, named in the message of a timeout
   * @return the kvstore exception, with the failure as its cause
   */
  public static KvException translate(Throwable failure, BackendCall call, Duration timeout) {
    return translate(failure, call.describe(), isWrite(call.operation()), timeout);
  }

  /**
   * Translates a failure of something that is no call of an operation, such as the subscription
   * a near-cached namespace opens with.
   *
   * @param failure what Lettuce threw or completed with
   * @param what what failed, as the message begins: {@code "namespace 'users': subscribing..."}
   * @param writes whether it may have written, so a failure leaves its outcome unknown
   * @param timeout the reply timeout, named in the message of a timeout
   * @return the kvstore exception, with the failure as its cause
   */
  public static KvException translate(Throwable failure, String what, boolean writes,
      Duration timeout) {
    Throwable t = Failures.cause(failure);
    if (t instanceof KvException kv) {
      return kv;
    }
    if (t instanceof NotSentException notSent) {
      return notSent(notSent, what, timeout);
    }
    if (t instanceof RedisConnectionException && isTimeout(t.getCause())) {
      // A connection whose handshake got no answer: the server is stalled, not gone.
      return new KvTimeoutException(what + ": Redis did not answer within "
          + timeout.toMillis() + " ms (" + t.getMessage() + ")"
          + (writes ? "; the write may still have been applied" : ""), writes, t);
    }
    if (t instanceof RedisCommandTimeoutException) {
      return new KvTimeoutException(what + ": Redis did not answer within "
          + timeout.toMillis() + " ms" + (writes ? "; the write may still have been applied" : ""),
          writes, t);
    }
    if (t instanceof RedisCommandExecutionException) {
      String kind = replyKind(t.getMessage());
      if (TRANSIENT.contains(kind)) {
        return new KvUnavailableException(what + ": Redis cannot serve it now ("
            + kind + " reply: " + t.getMessage() + ")"
            + (writes ? "; in a batch, other commands may have been applied" : ""), kind, t);
      }
      return new KvException(what + ": Redis replied with an error: " + t.getMessage(),
          t);
    }
    if (t instanceof RedisConnectionException || t instanceof IOException
        || t instanceof CancellationException || t instanceof RedisException) {
      return new KvUnavailableException(what + ": Redis is unavailable ("
          + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
          + ")" + (writes ? "; a write in flight may or may not have been applied" : ""), t);
    }
    return new KvException(what + " failed: " + t.getClass().getName(), t);
  }

  /**
   * A call none of whose commands was written: its outcome is known, a write's too. A timeout
   * (the server accepted the connection but did not answer) stays a timeout.
   */
  private static KvException notSent(NotSentException notSent, String what,
      Duration timeout) {
    Throwable cause = Failures.cause(notSent.getCause());
    if (cause instanceof KvException kv) {
      return kv;
    }
    if (isTimeout(cause)) {
      return new KvTimeoutException(what + ": Redis did not answer within "
          + timeout.toMillis() + " ms (" + notSent.getMessage() + "); nothing was sent", false,
          cause);
    }
    return new KvUnavailableException(what + ": Redis is unavailable ("
        + notSent.getMessage() + ": " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "); nothing was sent",
        cause);
  }

  /** Whether a failure, one of its causes or suppressed failures, is a timeout waiting for Redis. */
  static boolean isTimeout(Throwable failure) {
    return isTimeout(failure, 0);
  }

  /** Causes and suppressed failures (Lettuce adds one per node it tried), a few levels deep. */
  private static boolean isTimeout(Throwable failure, int depth) {
    if (failure == null || depth > 8) {
      return false;
    }
    if (failure instanceof RedisCommandTimeoutException || failure instanceof TimeoutException) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (isTimeout(suppressed, depth + 1)) {
        return true;
      }
    }
    return failure.getCause() != failure && isTimeout(failure.getCause(), depth + 1);
  }

  /** The first word of an error reply, such as {@code READONLY}: Redis's name for its kind. */
  static String replyKind(String message) {
    if (message == null) {
      return "";
    }
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  /**
   * Whether the operation writes, so a failure leaves its outcome unknown.
   *
   * @param operation the operation
   * @return whether it writes
   */
  public static boolean isWrite(KvOperation operation) {
    // Every constant named, no default: a new operation must say whether it writes, or a
    // timed-out write of it would be reported as surely not applied.
    return switch (operation) {
      case PUT, PUT_ALL, DELETE, DELETE_ALL, REINDEX, REPLACE, DELETE_IF, UPDATE, INCREMENT -> true;
      case GET, GET_ALL, LIST, LIST_VALUES, PING, GET_VERSIONED -> false;
    };
  }

  static boolean isRedirect(Throwable failure) {
    Throwable t = Failures.cause(failure);
    return t instanceof RedisCommandExecutionException && t.getMessage() != null
        && (t.getMessage().startsWith("MOVED") || t.getMessage().startsWith("ASK"));
  }
}

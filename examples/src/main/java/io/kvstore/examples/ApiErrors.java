package io.kvstore.examples;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.kvstore.KvConflictException;
import io.kvstore.KvException;
import io.kvstore.KvTimeoutException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the API answers what went wrong, always as an {@link ApiError} in JSON, and its request
 * log. Logs name the route template, status and time, never user ids, request bodies or values.
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(WorkoutApi.class);

  private ApiErrors() {}

  /** Javalin's own refusals (405, 413, ...) as the API's JSON instead of plain text. */
  static void httpError(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    String message = switch (status) {
      case 405 -> "no endpoint " + ctx.method() + " here; this path takes another method";
      case 413 -> "the body is larger than " + WorkoutApi.MAX_BODY_BYTES + " bytes";
      default -> e.getMessage();
    };
    String error = switch (status) {
      case 405 -> "method_not_allowed";
      case 413 -> "body_too_large";
      case 404 -> "not_found";
      default -> status >= 500 ? "internal_error" : "bad_request";
    };
    ctx.status(status).json(new ApiError(error, status == 413 ? "body" : null, message));
  }

  static void storeDown(KvException e, Context ctx) {
    StoreTiming.Cost cost = ctx.attribute(WorkoutApi.COST);
    if (cost != null) {
      ctx.header("Server-Timing", cost.serverTiming());
    }
    LOG.warn("{} {}: store unavailable: {}", ctx.method(), route(ctx), e.getMessage());
    String message = Boolean.TRUE.equals(ctx.attribute(WorkoutApi.SAVED))
        ? "the workout was saved but the store failed before the summary was updated; send the"
            + " request again (PUT and DELETE are idempotent)"
        : e instanceof KvTimeoutException
        ? "the workout store did not answer in time; try again (PUT and DELETE are idempotent)"
        : "the workout store is unavailable; nothing was changed, try again later";
    ctx.status(503).json(new ApiError("store_unavailable", null, message));
  }

  /**
   * The summary's {@code update} lost the race for it on every attempt (many requests of one
   * user at once): the completion was saved, the summary not; the request can simply be sent
   * again.
   */
  static void conflict(KvConflictException e, Context ctx) {
    StoreTiming.Cost cost = ctx.attribute(WorkoutApi.COST);
    if (cost != null) {
      ctx.header("Server-Timing", cost.serverTiming());
    }
    LOG.warn("{} {}: summary contended: {} attempts", ctx.method(), route(ctx), e.attempts());
    ctx.status(409).json(new ApiError("conflict", null, "the workout was saved but other requests"
        + " kept changing the summary; send the request again (PUT and DELETE are idempotent)"));
  }

  static void logRequest(Context ctx, Float millis) {
    LOG.info("{} {} -> {} in {} ms", ctx.method(), route(ctx), ctx.statusCode(),
        Math.round(millis));
  }

  /** Any other failure: logged with its stack trace, answered 500 without details. */
  static void internal(Exception e, Context ctx) {
    LOG.error("{} {} failed", ctx.method(), route(ctx), e);
    ctx.status(500).json(new ApiError("internal_error", null, "internal error"));
  }

  /** Returns the route template (never the path itself, which holds the user id). */
  private static String route(Context ctx) {
    List<Endpoint> matched = ctx.endpoints().list();
    return matched.isEmpty() ? "(no route)" : matched.get(matched.size() - 1).path;
  }
}

package io.kvstore;

/**
 * Traces logical operations: told when each one is called, on the caller's thread, and when it
 * completes, on whichever thread completes it. {@code kvstore-opentelemetry} implements it with
 * OpenTelemetry spans; register one with {@link ObservabilityOptions.Builder#tracer(KvTracer)}.
 *
 * <p><b>Why a hook of its own, and not a {@link KvListener} callback.</b> A span must start when
 * the call is made, so that it is the child of the caller's current context (a request's span,
 * say), and must end on the thread that completes the operation, often an I/O thread where that
 * context is gone. So the tracer gets a start callback on the caller's thread and returns an
 * {@link OperationSpan} that the store keeps with the operation and ends once. A store has at
 * most one tracer; when it has none, an operation holds a null reference and pays one null check
 * at start and one at end, with no allocation, so stores without tracing run exactly as before.
 * Listeners stay what they are, one event after the fact, so they pay nothing new either.
 *
 * <p>Calls whose arguments the namespace rejects are thrown to the caller before anything
 * starts: no span, as no {@link KvEvent}. Every span started is ended exactly once: with the
 * operation's outcome, a closed store's {@link KvUnavailableException} included, or, when the
 * backend rejects an argument as it starts (and the call throws a
 * {@link KvValidationException}), with that error and an event no listener sees.
 *
 * <p>Implementations must be thread-safe and fast: {@link #start} runs on the caller's thread,
 * {@link OperationSpan#end} possibly on an I/O thread. A tracer that throws is logged and
 * otherwise ignored.
 */
public interface KvTracer {
  /**
   * Called on the caller's thread when an operation starts, after its arguments were validated
   * and before anything is sent.
   *
   * @param start what is starting
   * @return the span to end when the operation completes; never null
   */
  OperationSpan start(KvOperationStart start);

  /** One operation in flight, as its tracer sees it. Ended exactly once. */
  interface OperationSpan {
    /**
     * Called once when the operation completes, successfully or not, on the thread that completes
     * it and before the caller's future completes.
     *
     * @param end how it ended
     */
    void end(KvOperationEnd end);
  }
}

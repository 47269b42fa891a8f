import { AbortedError, TimeoutError } from "../errors/transport-errors.js";
import { clampTimerMs } from "../timers.js";

/** The cancellation of one model call: the caller's signal and the attempt's time limit. */
export interface Attempt {
  /** Passed to the model; aborts its HTTP call. */
  readonly signal: AbortSignal;
  /** Rejects when the attempt times out or the caller aborts. */
  readonly cancelled: Promise<never>;
  /** Stops the timer and the listener on the caller's signal. */
  end(): void;
  /** Cancels the attempt's HTTP call, e.g. when a stream consumer stops early. */
  abort(): void;
  /** The error to report for `error`: a `TimeoutError` or `AbortedError` when that is the cause. */
  failure(error: unknown): unknown;
}

/** Inputs of {@link startAttempt}. */
export interface StartAttemptOptions {
  /** What the attempt does, for error messages: `Request to`, `Stream from`. */
  action: string;
  deploymentId: string;
  signal: AbortSignal | undefined;
  timeoutMs: number | undefined;
  /** Build an attempt even without a signal or timeout (streams: to cancel on early stop). */
  force?: boolean;
}

/**
 * Starts the cancellation of one attempt, or returns `undefined` when there is nothing to
 * cancel (no signal, no time limit, not forced): the hot path then costs no controller.
 */
export function startAttempt(options: StartAttemptOptions & { force: true }): Attempt;
export function startAttempt(options: StartAttemptOptions): Attempt | undefined;
export function startAttempt({
  action,
  deploymentId,
  signal,
  timeoutMs,
  force = false,
}: StartAttemptOptions): Attempt | undefined {
  const hasTimeout = timeoutMs !== undefined && timeoutMs > 0;
  if (!force && !signal && !hasTimeout) return undefined;
  const what = `${action} "${deploymentId}"`;
  const controller = new AbortController();
  let timedOut = false;
  let rejectCancelled: (error: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    rejectCancelled = reject;
  });
  cancelled.catch(() => {});
  const onAbort = () => {
    controller.abort(signal?.reason);
    rejectCancelled(new AbortedError(what, signal?.reason));
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = hasTimeout
    ? setTimeout(() => {
        timedOut = true;
        controller.abort(new TimeoutError(what, timeoutMs));
        rejectCancelled(new TimeoutError(what, timeoutMs));
      }, clampTimerMs(timeoutMs))
    : undefined;
  return {
    signal: controller.signal,
    cancelled,
    abort: () => controller.abort(),
    end: () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
    failure: (error) => {
      if (timedOut) return new TimeoutError(what, timeoutMs ?? 0);
      if (signal?.aborted) return new AbortedError(what, error);
      return error;
    },
  };
}

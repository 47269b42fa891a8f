import type { Logger } from "@fabricatio/logger";
import { isThrydError } from "../errors/thryd-error.js";
import type { Deployment } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import type { AsyncRateLimiter } from "../limits/spec.js";
import type { ModelKind, Usage } from "../types.js";

/** A deployment picked for one call and the quota reserved on it. */
export interface Acquired<K extends ModelKind> {
  deployment: Deployment<K>;
  reservation: Reservation;
  /**
   * Set once the model reported the request handed to a connection (`CallOptions.onSent`): the
   * provider may have seen it, so it counts for its window whatever happens next.
   */
  sent?: boolean;
}

// Failures that can happen before a request leaves the process: the caller's abort or the time
// limit while it waited for a connection, a refused connection, a field the conversion refused,
// a malformed request. Every other failure (an HTTP status, a broken or incomplete answer) means
// the provider answered, so it was sent.
const UNSENT_CODES: ReadonlySet<string> = new Set([
  "THRYD_ABORTED",
  "THRYD_TIMEOUT",
  "THRYD_NETWORK",
  "THRYD_UNSUPPORTED_FEATURE",
  "THRYD_INVALID_REQUEST",
]);

/**
 * Whether a call that ended without an answer gives its reserved quota back: only when the
 * request never left the process. `error` is `undefined` for a stream its consumer stopped.
 */
export function releasesQuota(error: unknown, sent: boolean): boolean {
  if (sent) return false;
  return error === undefined || (isThrydError(error) && UNSENT_CODES.has(error.code));
}

/**
 * Settles a reservation once its call ended: reconciled with the reported usage (the estimate
 * stays when the provider reports none); after a failure, released when the request never left
 * the process ({@link releasesQuota}), else charged with its estimate at the failure's time, so
 * it counts for one whole window as the provider counts it.
 */
export function settleReservation<K extends ModelKind>(
  acquired: Acquired<K>,
  error: unknown,
  usage: Usage | undefined,
  nowMs: number,
  logger: Logger,
): void {
  const { deployment, reservation } = acquired;
  const limiter = deployment.limiter;
  if (!limiter) {
    if (deployment.asyncLimiter) {
      settleShared(deployment.asyncLimiter, acquired, error, usage, nowMs, logger);
    }
    return;
  }
  if (usage) {
    const actual = usage.total_tokens > 0 ? usage.total_tokens : reservation.tokens;
    limiter.reconcile(reservation, actual, nowMs);
  } else if (releasesQuota(error, acquired.sent === true)) {
    limiter.release(reservation);
  } else {
    limiter.reconcile(reservation, reservation.tokens, nowMs);
  }
}

/**
 * Reconciles or releases a reservation in an asynchronous store without holding up the answer.
 * A failure is logged, not thrown: the answer is already here, and the reservation expires on
 * its own in the store.
 */
function settleShared<K extends ModelKind>(
  limiter: AsyncRateLimiter,
  acquired: Acquired<K>,
  error: unknown,
  usage: Usage | undefined,
  nowMs: number,
  logger: Logger,
): void {
  const { reservation } = acquired;
  let pending: Promise<void>;
  if (usage) {
    const actual = usage.total_tokens > 0 ? usage.total_tokens : reservation.tokens;
    pending = limiter.reconcile(reservation, actual, nowMs);
  } else if (releasesQuota(error, acquired.sent === true)) {
    pending = limiter.release(reservation, nowMs);
  } else {
    pending = limiter.reconcile(reservation, reservation.tokens, nowMs);
  }
  pending.catch((failure: unknown) => {
    logger.warn(`Could not settle a shared reservation: ${(failure as Error)?.message ?? failure}`);
  });
}

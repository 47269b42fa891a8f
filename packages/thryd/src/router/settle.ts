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
}

// Failures after which the quota goes back: the caller cancelled or the time limit passed, or the
// request was refused before it left the process (a field the provider cannot carry). Other
// failures keep it, as the provider may have counted a request whose answer was lost.
const RELEASING_CODES: ReadonlySet<string> = new Set([
  "THRYD_ABORTED",
  "THRYD_TIMEOUT",
  "THRYD_UNSUPPORTED_FEATURE",
  "THRYD_INVALID_REQUEST",
]);

/** Whether a call that failed with `error` gives its reserved quota back. */
export function releasesQuota(error: unknown): boolean {
  return isThrydError(error) && RELEASING_CODES.has(error.code);
}

/**
 * Settles a reservation once its call ended: reconciled with the reported usage (the estimate
 * stays when the provider reports none), released after a failure that {@link releasesQuota},
 * kept otherwise.
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
      settleShared(deployment.asyncLimiter, reservation, error, usage, nowMs, logger);
    }
    return;
  }
  if (usage) {
    const actual = usage.total_tokens > 0 ? usage.total_tokens : reservation.tokens;
    limiter.reconcile(reservation, actual, nowMs);
  } else if (releasesQuota(error)) {
    limiter.release(reservation);
  }
}

/**
 * Reconciles or releases a reservation in an asynchronous store without holding up the answer.
 * A failure is logged, not thrown: the answer is already here, and the reservation expires on
 * its own in the store.
 */
function settleShared(
  limiter: AsyncRateLimiter,
  reservation: Reservation,
  error: unknown,
  usage: Usage | undefined,
  nowMs: number,
  logger: Logger,
): void {
  let pending: Promise<void> | undefined;
  if (usage) {
    const actual = usage.total_tokens > 0 ? usage.total_tokens : reservation.tokens;
    pending = limiter.reconcile(reservation, actual, nowMs);
  } else if (releasesQuota(error)) {
    pending = limiter.release(reservation, nowMs);
  }
  pending?.catch((failure: unknown) => {
    logger.warn(`Could not settle a shared reservation: ${(failure as Error)?.message ?? failure}`);
  });
}

import type { Logger } from "@fabricatio/logger";
import { isThrydError } from "../errors/thryd-error.js";
import type { Deployment } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import type { AsyncRateLimiter, RateLimiter } from "../limits/spec.js";
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

// Failures after which no answer was seen: the request may still be on its way to the provider.
const UNANSWERED_CODES: ReadonlySet<string> = new Set([
  "THRYD_ABORTED",
  "THRYD_TIMEOUT",
  "THRYD_NETWORK",
]);

/**
 * How long a sent request that got no answer (timed out, aborted, connection lost) stays in
 * flight after the call gave up, in ms, before it is charged to its window: it may still be on
 * its way to the provider (a congested network, the provider's own queue), and the provider
 * counts it when it arrives.
 */
export const IN_TRANSIT_GRACE_MS = 1_000;

/** What happens to the reservation of a call that ended. */
export type Settlement =
  /** Answered: charged with the reported usage, now. */
  | "reconcile"
  /** Never left the process: given back. */
  | "release"
  /** Sent and answered with an error: charged with the estimate, now. */
  | "charge"
  /** Sent and unanswered: kept in flight for {@link IN_TRANSIT_GRACE_MS}, then charged. */
  | "charge-later";

/**
 * Whether a call that ended without an answer gives its reserved quota back: only when the
 * request never left the process. `error` is `undefined` for a stream its consumer stopped.
 */
export function releasesQuota(error: unknown, sent: boolean): boolean {
  if (sent) return false;
  return error === undefined || (isThrydError(error) && UNSENT_CODES.has(error.code));
}

/** The settlement of a call that ended with `error` or `usage`; see {@link Settlement}. */
export function settlementOf(error: unknown, usage: Usage | undefined, sent: boolean): Settlement {
  if (usage) return "reconcile";
  if (releasesQuota(error, sent)) return "release";
  // A stream stopped by its consumer was being answered: the provider has the request.
  if (error === undefined) return "charge";
  return !isThrydError(error) || UNANSWERED_CODES.has(error.code) ? "charge-later" : "charge";
}

/**
 * Settles a reservation once its call ended ({@link settlementOf}): reconciled with the reported
 * usage (the estimate stays when the provider reports none); released when the request never
 * left the process; else charged with its estimate, so it counts for one whole window as the
 * provider counts it — after {@link IN_TRANSIT_GRACE_MS} when no answer came back.
 */
export function settleReservation<K extends ModelKind>(
  acquired: Acquired<K>,
  error: unknown,
  usage: Usage | undefined,
  now: () => number,
  logger: Logger,
): void {
  const { deployment, reservation } = acquired;
  const limiter = deployment.limiter ?? deployment.asyncLimiter;
  if (!limiter) return;
  const settlement = settlementOf(error, usage, acquired.sent === true);
  if (settlement === "charge-later") {
    const timer = setTimeout(() => {
      settle(limiter, reservation, "charge", reservation.tokens, now(), logger);
    }, IN_TRANSIT_GRACE_MS);
    timer.unref?.();
    return;
  }
  const tokens = usage && usage.total_tokens > 0 ? usage.total_tokens : reservation.tokens;
  settle(limiter, reservation, settlement, tokens, now(), logger);
}

function settle(
  limiter: RateLimiter | AsyncRateLimiter,
  reservation: Reservation,
  settlement: Settlement,
  tokens: number,
  nowMs: number,
  logger: Logger,
): void {
  const pending =
    settlement === "release"
      ? limiter.release(reservation, nowMs)
      : limiter.reconcile(reservation, tokens, nowMs);
  // A shared store's failure is logged, not thrown: the answer is already here, and the
  // reservation expires on its own in the store.
  pending?.catch((failure: unknown) => {
    logger.warn(`Could not settle a shared reservation: ${(failure as Error)?.message ?? failure}`);
  });
}

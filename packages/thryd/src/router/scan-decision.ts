import type { Deployment } from "../limits/deployment.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import type { GroupDecision } from "./group-index.js";
import { routableDeployments } from "./routable.js";
import { pickCandidate, type RoutingStrategy } from "./strategies.js";

/** Inputs of {@link scanDecision}. */
export interface ScanDecisionOptions {
  group: string;
  strategy: RoutingStrategy;
  /** The group's deployments in deployment order. */
  deployments: readonly Deployment[];
  /** Position in `deployments` where the rotation starts (after the last pick). */
  cursor: number;
  tokens: number;
  nowMs: number;
  breaker: CircuitBreaker | undefined;
}

/**
 * The routing decision by definition: every deployment of the group asked, in a scan. The
 * router decides with a `GroupIndex`, which must always agree with this (its property test
 * compares the two); this is the reference, not the router's path.
 * @throws {ContextWindowExceededError}, {CircuitOpenError} as `routableDeployments`
 */
export function scanDecision({
  group,
  strategy,
  deployments,
  cursor,
  tokens,
  nowMs,
  breaker,
}: ScanDecisionOptions): GroupDecision {
  const candidates = routableDeployments({ group, deployments, tokens, nowMs, breaker });
  const positions = new Map(deployments.map((deployment, position) => [deployment, position]));
  const slots = candidates.map((deployment) => positions.get(deployment)!);
  // The rotation starts at the first candidate at or after the cursor.
  const start = Math.max(
    0,
    slots.findIndex((slot) => slot >= cursor),
  );
  const pick = pickCandidate(
    strategy,
    candidates.map((deployment, index) => ({
      index,
      waitMs: deployment.waitMs(tokens, nowMs),
      inFlight: deployment.inFlight,
    })),
    start,
  );
  return pick.waitMs === 0
    ? { slot: slots[pick.index]!, waitMs: 0 }
    : { slot: -1, waitMs: pick.waitMs };
}

/**
 * How the router picks among a group's deployments.
 * - `least-wait` (default): a deployment with room now wins, else the one with the shortest wait;
 *   ties rotate so that load spreads instead of always hitting the first.
 * - `round-robin`: the next deployment in rotation that has room.
 * - `first-available`: the first deployment, in deployment order, that has room.
 * - `least-busy`: among those with room, the one with the fewest requests in flight.
 */
export type RoutingStrategy = "least-wait" | "round-robin" | "first-available" | "least-busy";

/** Every routing strategy name. */
export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = [
  "least-wait",
  "round-robin",
  "first-available",
  "least-busy",
];

/** A deployment under consideration: its position, wait and in-flight count. */
export interface Candidate {
  index: number;
  waitMs: number;
  inFlight: number;
}

/**
 * The index of the candidate to use. Only candidates with `waitMs === 0` may be chosen for
 * immediate dispatch; when none has room, the one with the smallest wait is returned.
 */
export function pickCandidate(
  strategy: RoutingStrategy,
  candidates: readonly Candidate[],
  cursor: number,
): Candidate {
  const count = candidates.length;
  const rotated = candidates.map((_, offset) => candidates[(cursor + offset) % count]!);
  const ready = rotated.filter((candidate) => candidate.waitMs === 0);
  if (ready.length === 0) {
    return rotated.reduce((best, candidate) => (candidate.waitMs < best.waitMs ? candidate : best));
  }
  switch (strategy) {
    case "first-available":
      return candidates.find((candidate) => candidate.waitMs === 0)!;
    case "least-busy":
      return ready.reduce((best, candidate) =>
        candidate.inFlight < best.inFlight ? candidate : best,
      );
    default:
      return ready[0]!;
  }
}

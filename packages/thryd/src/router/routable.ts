import { CircuitOpenError } from "../errors/circuit-open-error.js";
import { ContextWindowExceededError } from "../errors/context-window-exceeded-error.js";
import type { CircuitBreaker } from "./circuit-breaker.js";

interface Routable {
  readonly contextWindow: number | undefined;
}

/**
 * The deployments of `group` that may take a request of `tokens` now: those whose context window
 * holds it, minus those whose circuit is open (or half-open with its probe out).
 * @throws {ContextWindowExceededError} when no deployment's window holds the request
 * @throws {CircuitOpenError} when every deployment that would hold it is cooling down
 */
export function routableDeployments<D extends Routable>({
  group,
  deployments,
  tokens,
  nowMs,
  breaker,
}: {
  group: string;
  deployments: readonly D[];
  tokens: number;
  nowMs: number;
  breaker: CircuitBreaker | undefined;
}): readonly D[] {
  let fitting = deployments;
  if (deployments.some((deployment) => deployment.contextWindow !== undefined)) {
    fitting = deployments.filter(
      (deployment) => deployment.contextWindow === undefined || tokens <= deployment.contextWindow,
    );
    if (fitting.length === 0) {
      const largest = Math.max(...deployments.map((deployment) => deployment.contextWindow ?? 0));
      throw new ContextWindowExceededError(group, tokens, largest);
    }
  }
  if (!breaker) return fitting;
  const available = fitting.filter((deployment) => breaker.isAvailable(deployment, nowMs));
  if (available.length === 0) {
    const retryAtMs = Math.min(...fitting.map((deployment) => breaker.retryAtMs(deployment)));
    throw new CircuitOpenError(group, retryAtMs);
  }
  return available;
}

import type { WindowUsage } from "../limits/sliding-window.js";
import type { Usage } from "../types.js";
import { LatencyHistogram } from "./latency-histogram.js";

/** Latency quantiles of a deployment, in ms (within 5 % of the exact values). */
export interface LatencySummary {
  count: number;
  sumMs: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Counters of one deployment. */
export interface DeploymentMetrics {
  group: string;
  /** `<provider>/<model>`. */
  deployment: string;
  /** Requests dispatched (each retry counts). */
  requests: number;
  /** Failed requests by error `code` (`THRYD_API_ERROR_<status>` for HTTP errors). */
  errors: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  /** USD spent, when the deployment has a price. */
  costUsd: number;
  latencyMs: LatencySummary;
  inFlight: number;
  /** Current rate-limit window usage; absent for unlimited deployments. */
  window: WindowUsage | undefined;
}

/** Cache counters of one group. */
export interface GroupMetrics {
  group: string;
  cacheHits: number;
  cacheMisses: number;
}

/** What `router.metrics()` returns. */
export interface MetricsSnapshot {
  deployments: DeploymentMetrics[];
  groups: GroupMetrics[];
}

/** What the collector reads from a deployment at snapshot time. */
export interface MeasuredDeployment {
  readonly id: string;
  readonly group: string;
  readonly inFlight: number;
  readonly limiter?: { usage(nowMs: number): WindowUsage } | undefined;
}

interface Counters {
  requests: number;
  errors: Map<string, number>;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latency: LatencyHistogram;
}

/** The stable label of an error: its `code`, with the HTTP status for API errors. */
export function errorLabel(error: unknown): string {
  const value = error as { code?: unknown; status?: unknown; name?: unknown };
  if (typeof value?.code !== "string")
    return typeof value?.name === "string" ? value.name : "Error";
  return typeof value.status === "number" ? `${value.code}_${value.status}` : value.code;
}

/** Collects per-deployment counters in O(1) per request; `snapshot` assembles them. */
export class MetricsCollector {
  readonly #deployments = new Map<MeasuredDeployment, Counters>();
  readonly #groups = new Map<string, GroupMetrics>();

  #counters(deployment: MeasuredDeployment): Counters {
    let counters = this.#deployments.get(deployment);
    if (!counters) {
      counters = {
        requests: 0,
        errors: new Map(),
        promptTokens: 0,
        completionTokens: 0,
        costUsd: 0,
        latency: new LatencyHistogram(),
      };
      this.#deployments.set(deployment, counters);
    }
    return counters;
  }

  /** Records a successful request. */
  succeeded(deployment: MeasuredDeployment, usage: Usage, latencyMs: number, costUsd = 0): void {
    const counters = this.#counters(deployment);
    counters.requests++;
    counters.promptTokens += usage.prompt_tokens;
    counters.completionTokens += usage.completion_tokens;
    counters.costUsd += costUsd;
    counters.latency.record(latencyMs);
  }

  /** Records a failed request. */
  failed(deployment: MeasuredDeployment, error: unknown, latencyMs: number): void {
    const counters = this.#counters(deployment);
    counters.requests++;
    const label = errorLabel(error);
    counters.errors.set(label, (counters.errors.get(label) ?? 0) + 1);
    counters.latency.record(latencyMs);
  }

  /** Records a cache lookup of a group. */
  cache(group: string, hit: boolean): void {
    let metrics = this.#groups.get(group);
    if (!metrics) {
      metrics = { group, cacheHits: 0, cacheMisses: 0 };
      this.#groups.set(group, metrics);
    }
    if (hit) metrics.cacheHits++;
    else metrics.cacheMisses++;
  }

  /** The counters of `deployments` (those never used show zeros) and of every group. */
  snapshot(deployments: Iterable<MeasuredDeployment>, nowMs: number): MetricsSnapshot {
    const result: DeploymentMetrics[] = [];
    for (const deployment of deployments) {
      const counters = this.#counters(deployment);
      const latency = counters.latency;
      result.push({
        group: deployment.group,
        deployment: deployment.id,
        requests: counters.requests,
        errors: Object.fromEntries(counters.errors),
        promptTokens: counters.promptTokens,
        completionTokens: counters.completionTokens,
        costUsd: counters.costUsd,
        latencyMs: {
          count: latency.count,
          sumMs: latency.sumMs,
          p50: latency.quantile(0.5),
          p95: latency.quantile(0.95),
          p99: latency.quantile(0.99),
        },
        inFlight: deployment.inFlight,
        window: deployment.limiter?.usage(nowMs),
      });
    }
    return {
      deployments: result,
      groups: [...this.#groups.values()].map((group) => ({ ...group })),
    };
  }
}

import type { Span } from "@opentelemetry/api";
import type { Deployment } from "../limits/deployment.js";
import type { MetricsCollector } from "../observability/metrics.js";
import type { GenAiTracing } from "../observability/tracing.js";
import type { ModelKind, Usage } from "../types.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { type CostLedger, costOf } from "./cost.js";

/** What the observer feeds; each part is optional. */
export interface DispatchObserverParts {
  breaker: CircuitBreaker | undefined;
  metrics: MetricsCollector | undefined;
  tracing: GenAiTracing | undefined;
  ledger: CostLedger;
  now: () => number;
}

/** The record of one dispatch, closed by exactly one of `succeeded` or `failed`. */
export class Observation {
  readonly #parts: DispatchObserverParts;
  readonly #deployment: Deployment;
  readonly #span: Span | undefined;
  readonly #startedMs: number;
  readonly #failures: WeakMap<object, string>;

  constructor(
    parts: DispatchObserverParts,
    deployment: Deployment,
    request: object,
    failures: WeakMap<object, string>,
  ) {
    this.#parts = parts;
    this.#deployment = deployment;
    this.#failures = failures;
    this.#startedMs = parts.metrics ? performance.now() : 0;
    this.#span = parts.tracing?.start(deployment, request);
    parts.breaker?.dispatched(deployment, parts.now());
  }

  /** The call answered; `usage` gains `cost` when the deployment has a price. */
  succeeded(usage: Usage | undefined): void {
    const { breaker, metrics, tracing, ledger, now } = this.#parts;
    const deployment = this.#deployment;
    let costUsd = 0;
    if (usage && deployment.price) {
      costUsd = costOf(deployment.price, usage);
      usage.cost = costUsd;
      ledger.record(deployment.group, deployment.id, costUsd, now());
    }
    breaker?.succeeded(deployment);
    if (metrics && usage) {
      metrics.succeeded(deployment, usage, performance.now() - this.#startedMs, costUsd);
    }
    if (this.#span) tracing?.succeed(this.#span, usage);
  }

  /** The call failed with `error` (after the router's timeout/abort mapping). */
  failed(error: unknown): void {
    const { breaker, metrics, tracing, now } = this.#parts;
    const deployment = this.#deployment;
    if (typeof error === "object" && error !== null) this.#failures.set(error, deployment.id);
    breaker?.failed(deployment, error, now());
    metrics?.failed(deployment, error, performance.now() - this.#startedMs);
    if (this.#span) tracing?.fail(this.#span, error);
  }
}

/**
 * Feeds the circuit breaker, metrics, tracing and cost totals from each dispatch. The router
 * builds one only when one of those features is on, so the plain path pays nothing.
 */
export class DispatchObserver<K extends ModelKind = ModelKind> {
  readonly #parts: DispatchObserverParts;
  // Which deployment produced an error, for the fallback chain's `attempts`.
  readonly #failures = new WeakMap<object, string>();

  constructor(parts: DispatchObserverParts) {
    this.#parts = parts;
  }

  /** Opens the record of one call to `deployment`. */
  start(deployment: Deployment<K>, request: object): Observation {
    return new Observation(this.#parts, deployment as Deployment, request, this.#failures);
  }

  /**
   * The deployment whose call ended in `error`, if it came from a dispatch, directly or as the
   * `cause` of the router's own error (a `Retry-After` beyond the cap).
   */
  deploymentOf(error: unknown): string | undefined {
    if (typeof error !== "object" || error === null) return undefined;
    const cause = (error as { cause?: unknown }).cause;
    return (
      this.#failures.get(error) ??
      (typeof cause === "object" && cause !== null ? this.#failures.get(cause) : undefined)
    );
  }

  /** Records a cache lookup of `group`. */
  cacheLookup(group: string, hit: boolean): void {
    this.#parts.metrics?.cache(group, hit);
  }
}

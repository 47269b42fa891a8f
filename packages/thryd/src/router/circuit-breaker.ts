import { isThrydError } from "../errors/thryd-error.js";

/** Settings of the per-deployment circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold?: number;
  /** How long an open deployment is left out of routing, in ms. @default 30000 */
  cooldownMs?: number;
}

/** `closed`: routed normally; `open`: left out; `half-open`: one probe request allowed. */
export type CircuitState = "closed" | "open" | "half-open";

/** Health of one deployment, as `router.health()` reports it. */
export interface DeploymentHealth {
  group: string;
  /** `<provider>/<model>`. */
  deployment: string;
  state: CircuitState;
  /** Failures since the last success. */
  consecutiveFailures: number;
  /** While open: epoch ms when it turns half-open. */
  openUntilMs: number | undefined;
}

interface Circuit {
  failures: number;
  openUntilMs: number;
  probing: boolean;
}

// A 400 or 422 says the request was bad, not that the deployment is, and so do a field the
// provider cannot carry and a filtered answer; the caller's abort says nothing about either.
const NOT_THE_DEPLOYMENT: ReadonlySet<string> = new Set([
  "THRYD_ABORTED",
  "THRYD_INVALID_REQUEST",
  "THRYD_UNSUPPORTED_FEATURE",
  "THRYD_CONTENT_FILTERED",
]);

function countsAsFailure(error: unknown): boolean {
  if (!isThrydError(error)) return true;
  if (NOT_THE_DEPLOYMENT.has(error.code)) return false;
  const status = (error as { status?: number }).status;
  return !(status === 400 || status === 413 || status === 422);
}

/**
 * Per-deployment health state machine. Closed until `failureThreshold` consecutive failures (or
 * one 429 without `Retry-After`), then open for `cooldownMs`, then half-open: one probe request
 * is let through, and its outcome closes the circuit or opens it again. The clock is injected.
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly #circuits = new Map<object, Circuit>();
  #listener: ((deployment: object) => void) | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  /**
   * Calls `listener` whenever a call changes whether a deployment is available (its circuit
   * opens, closes, or its half-open probe goes out or comes back). Passing of time (open to
   * half-open at `retryAtMs`) is not reported: readers take it from `retryAtMs`.
   */
  onChange(listener: ((deployment: object) => void) | undefined): void {
    this.#listener = listener;
  }

  #circuit(deployment: object): Circuit {
    let circuit = this.#circuits.get(deployment);
    if (!circuit) {
      circuit = { failures: 0, openUntilMs: 0, probing: false };
      this.#circuits.set(deployment, circuit);
    }
    return circuit;
  }

  /** The state of a deployment at `nowMs`. */
  state(deployment: object, nowMs: number): CircuitState {
    const circuit = this.#circuits.get(deployment);
    if (!circuit || circuit.openUntilMs === 0) return "closed";
    return nowMs < circuit.openUntilMs ? "open" : "half-open";
  }

  /** Whether a request may go to the deployment now: closed, or half-open with no probe out. */
  isAvailable(deployment: object, nowMs: number): boolean {
    const circuit = this.#circuits.get(deployment);
    if (!circuit || circuit.openUntilMs === 0) return true;
    return nowMs >= circuit.openUntilMs && !circuit.probing;
  }

  /** Epoch ms when the deployment may be tried again (0 when it may now). */
  retryAtMs(deployment: object): number {
    return this.#circuits.get(deployment)?.openUntilMs ?? 0;
  }

  /** Called when a request is dispatched: a half-open deployment's probe is now out. */
  dispatched(deployment: object, nowMs: number): void {
    // The router picks and dispatches in one tick when there is room, so nothing else can pick
    // the half-open deployment in between. Two requests that both waited for rate-limit room
    // may still both probe it: a second probe, not a flood.
    if (this.state(deployment, nowMs) === "half-open") {
      this.#circuit(deployment).probing = true;
      this.#listener?.(deployment);
    }
  }

  /** A request succeeded: the circuit closes. */
  succeeded(deployment: object): void {
    const circuit = this.#circuits.get(deployment);
    if (!circuit) return;
    const wasRouted = circuit.openUntilMs === 0 && !circuit.probing;
    circuit.failures = 0;
    circuit.openUntilMs = 0;
    circuit.probing = false;
    if (!wasRouted) this.#listener?.(deployment);
  }

  /** A request failed: count it, and open the circuit at the threshold or on a bare 429. */
  failed(deployment: object, error: unknown, nowMs: number): void {
    const circuit = this.#circuit(deployment);
    const { openUntilMs, probing } = circuit;
    this.#record(circuit, error, nowMs);
    if (circuit.openUntilMs !== openUntilMs || circuit.probing !== probing) {
      this.#listener?.(deployment);
    }
  }

  #record(circuit: Circuit, error: unknown, nowMs: number): void {
    if (!countsAsFailure(error)) {
      // A probe that ended without a verdict lets the next request probe.
      circuit.probing = false;
      return;
    }
    circuit.failures++;
    const value = error as { status?: number; retryAfterMs?: number };
    const bareRateLimit = value?.status === 429 && value.retryAfterMs === undefined;
    if (circuit.probing || bareRateLimit || circuit.failures >= this.failureThreshold) {
      circuit.openUntilMs = nowMs + this.cooldownMs;
    }
    circuit.probing = false;
  }

  /** The health of each deployment. */
  health(deployments: Iterable<{ id: string; group: string }>, nowMs: number): DeploymentHealth[] {
    return [...deployments].map((deployment) => {
      const state = this.state(deployment, nowMs);
      return {
        group: deployment.group,
        deployment: deployment.id,
        state,
        consecutiveFailures: this.#circuits.get(deployment)?.failures ?? 0,
        openUntilMs: state === "open" ? this.retryAtMs(deployment) : undefined,
      };
    });
  }
}

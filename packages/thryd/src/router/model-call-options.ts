import type { CallOptions, ModelKind } from "../types.js";
import type { InvokeOptions } from "./invoke-options.js";
import type { Acquired } from "./settle.js";

/** The time limits of one attempt, resolved: the call's, else the deployment's, else the router's. */
export interface AttemptLimits {
  /** Time limit of the whole attempt in ms; unset: the provider's request limit only. */
  timeoutMs: number | undefined;
  /** Longest silence inside a stream in ms; unset: the provider's. */
  streamIdleTimeoutMs: number | undefined;
}

/** Resolves the limits of one attempt on `acquired.deployment`: call, deployment, router. */
export function attemptLimits<K extends ModelKind>(
  options: InvokeOptions,
  acquired: Acquired<K>,
  router: AttemptLimits,
): AttemptLimits {
  const { deployment } = acquired;
  return {
    timeoutMs: options.timeoutMs ?? deployment.timeoutMs ?? router.timeoutMs,
    streamIdleTimeoutMs:
      options.streamIdleTimeoutMs ?? deployment.streamIdleTimeoutMs ?? router.streamIdleTimeoutMs,
  };
}

/**
 * The options of one model call: the attempt's signal, the resolved limits (which replace the
 * provider's own), and for a rate-limited deployment the `onSent` hook that marks the
 * reservation as seen by the provider. `undefined` when there is nothing to pass, so an
 * unlimited deployment without limits or signal allocates nothing.
 */
export function modelCallOptions<K extends ModelKind>(
  acquired: Acquired<K>,
  signal: AbortSignal | undefined,
  limits: AttemptLimits,
): CallOptions | undefined {
  const { deployment } = acquired;
  const limited = deployment.limiter !== undefined || deployment.asyncLimiter !== undefined;
  const { timeoutMs, streamIdleTimeoutMs } = limits;
  if (!signal && !limited && timeoutMs === undefined && streamIdleTimeoutMs === undefined) {
    return undefined;
  }
  const options: CallOptions = {};
  if (signal) options.signal = signal;
  if (timeoutMs !== undefined) options.requestTimeoutMs = timeoutMs;
  if (streamIdleTimeoutMs !== undefined) options.streamIdleTimeoutMs = streamIdleTimeoutMs;
  if (limited) {
    options.onSent = () => {
      acquired.sent = true;
    };
  }
  return options;
}

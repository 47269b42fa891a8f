import type { CallOptions } from "../types.js";

/**
 * Per-call options of `invoke`, `invokeCached`, `invokeFresh`, `stream` and `streamEvents`.
 * `timeoutMs` and `streamIdleTimeoutMs` win over the deployment's and the router's (`onSent` and
 * `requestTimeoutMs` are what the router sets on each model call).
 */
export interface InvokeOptions extends Omit<CallOptions, "onSent" | "requestTimeoutMs"> {
  /** Neither read nor write the cache. @default false */
  noCache?: boolean;
  /**
   * Longest total wait for rate-limit room, in ms; a longer wait fails at once with
   * `RateLimitExceededError`. @default Infinity
   */
  maxWaitMs?: number;
  /**
   * Remove reasoning blocks from the completion text (`content`, `message.content` and stream
   * text events). @default the router's `stripReasoning`
   */
  stripReasoning?: boolean;
}

import { ThrydError } from "./thryd-error.js";

/**
 * No deployment of the group has room within the caller's `maxWaitMs`. `waitTimeMs` is the
 * shortest wait that would have found room (`Infinity` when one request exceeds a whole TPM).
 */
export class RateLimitExceededError extends ThrydError {
  override readonly code = "THRYD_RATE_LIMIT_EXCEEDED";
  readonly group: string;
  readonly waitTimeMs: number;
  constructor(group: string, waitTimeMs: number) {
    super(
      Number.isFinite(waitTimeMs)
        ? `No deployment in group "${group}" has capacity for the next ${Math.ceil(waitTimeMs)} ms`
        : `The request exceeds the TPM of every deployment in group "${group}"`,
      { isRetryable: Number.isFinite(waitTimeMs) },
    );
    this.group = group;
    this.waitTimeMs = waitTimeMs;
  }
}
